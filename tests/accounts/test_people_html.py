"""The People, invitation, audit trail and picker pages pass the W3C Nu HTML Checker, in the
states a person meets them: filtered, mid-search without JavaScript, a bulk change opened."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pghistory
import pytest
from django.urls import reverse

from accounts.models import Membership
from campaigns.models import Member
from tests import factories as f
from tests.actions.factories import make_action
from tests.test_html_standards import require_vnu

pytestmark = pytest.mark.django_db


def test_people_and_audit_pages_are_valid_html(cast, tmp_path, settings):
    vnu = require_vnu()
    settings.DEBUG = False
    f.make_building(cast.local, "Lincoln Elementary", kind="elementary")
    member = f.make_member(cast.building_a, first_name="Ana", last_name="López")
    with pghistory.context(user=cast.leader.pk) as context:
        Member.objects.filter(pk=member.pk).update(support_level=2)
    action = make_action(cast.campaign, buildings=[cast.building_a])
    slug = cast.local.slug
    leader = cast.client_for("leader")
    responses = [
        leader.get(reverse("team:people", args=[slug]), {"q": "a", "role": "steward"}),
        leader.get(
            reverse("team:people", args=[slug]), {"building__q": "Lin", "building__search": 1}
        ),
        leader.get(reverse("team:invitations", args=[slug])),
        leader.get(reverse("team:invite", args=[slug])),
        leader.post(
            reverse("team:invite", args=[slug]),
            {
                "email": "new@x.example",
                "role": "steward",
                "buildings__q": "Lincoln",
                "buildings__search": "1",
            },
        ),  # fmt: skip
        leader.get(
            reverse("team:remove_membership", args=[Membership.objects.get(user=cast.steward_a).pk])
        ),
        leader.get(reverse("actions:edit", args=[action.pk])),
        leader.get(reverse("audit:trail")),
        leader.get(reverse("audit:trail"), {"record": "member", "id": member.pk}),
        leader.get(reverse("audit:entry", args=[str(context.id)])),
    ]
    files = []
    for n, response in enumerate(responses):
        assert response.status_code == 200, (n, response.status_code)
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(response.content)
        files.append(path)
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
