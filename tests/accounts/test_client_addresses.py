"""One setting, TRUSTED_PROXY_COUNT, decides the client's address everywhere: allauth's rate
limits, the public RSVP limit and the audit trail; forwarded headers count only behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from audit.models import MembershipEvent
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env) -> dict:
    """The settings a process started with these environment variables has."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'proxies': s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "'ssl_header': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "'use_x_forwarded_for': hasattr(s, 'USE_X_FORWARDED_FOR')}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXY_COUNT", "DEBUG"}}
    base.update(
        DEBUG="false",
        SECRET_KEY="a-production-secret-that-is-long-and-random-9f8e7d6c5b4a-0123456789",
        ALLOWED_HOSTS="bargaining.example.org",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_forwarded_headers_are_trusted_only_behind_a_proxy_of_ours():
    assert settings_with() == {"proxies": 0, "ssl_header": None, "use_x_forwarded_for": False}
    assert settings_with(TRUSTED_PROXY_COUNT="1") == {
        "proxies": 1,
        "ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "use_x_forwarded_for": False,
    }


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_claimed_address_does_not_escape_the_limit(cast, settings):
    """A client that claims a new X-Forwarded-For on every try still counts as itself."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )
    response = client.post(
        reverse("account_login"),
        {"login": cast.leader.email, "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.99",
    )
    assert "Too many failed" in response.content.decode()


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_their_own_sign_in_limit(cast, settings):
    """Through our one proxy every request comes from the proxy's address; the limit is the
    visitor's, the one the proxy appended, not a value the visitor put in front of it."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}

    def through_proxy() -> Client:
        return Client(REMOTE_ADDR="172.18.0.5")

    for n in range(3):
        through_proxy().post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.1",
        )
    response = through_proxy().post(
        reverse("account_login"),
        {"login": cast.leader.email, "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert response.status_code == 302
    blocked = through_proxy().post(
        reverse("account_login"),
        {"login": cast.steward_a.email, "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1",
    )
    assert "Too many failed" in blocked.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "recorded"), [(0, "172.18.0.5"), (1, "203.0.113.77")], ids=["direct", "proxied"]
)
def test_the_audit_trail_records_the_clients_address(cast, settings, proxies, recorded):
    if connection.vendor != "postgresql":
        pytest.skip("the audit trail's triggers need PostgreSQL: set DATABASE_URL (CI does)")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    membership = Membership.objects.get(user=cast.steward_a)
    client = Client(REMOTE_ADDR="172.18.0.5")
    client.force_login(cast.leader)
    client.post(
        reverse("team:remove_membership", args=[membership.pk]),
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.77",
    )
    event = MembershipEvent.objects.get(pgh_obj_id=membership.pk, pgh_label="delete")
    assert event.pgh_context.metadata["ip"] == recorded
