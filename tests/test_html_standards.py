"""The pages people read pass the W3C Nu HTML Checker (vnu), an independent parser rather than
our own asserts: one page of each kind, as the role that reads it, in English and Spanish."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from demands.models import Amendment, DecisionRequest
from tests import factories as f
from tests.actions.factories import make_action
from tests.bargaining.factories import make_demand, make_public_page, make_session
from tests.services import ROOT

pytestmark = pytest.mark.django_db

VNU = Path(
    os.environ.get("VNU_JAR", ROOT / "var" / "tools" / "node_modules/vnu-jar/build/dist/vnu.jar")
)


def require_vnu() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.skip(
            "needs Java and the Nu HTML Checker (npm install --prefix var/tools vnu-jar; CI does)"
        )
    return [java, "-jar", str(VNU)]


def test_every_kind_of_page_is_valid_html(cast, tmp_path, settings):
    vnu = require_vnu()
    settings.DEBUG = False
    campaign = cast.campaign
    make_public_page(campaign)
    demand = make_demand(campaign, title="Nurses in every school — ممرضة في كل مدرسة")
    make_session(campaign)
    action = make_action(campaign, is_public=True, buildings=[cast.building_a])
    member = f.make_member(cast.building_a, first_name="Siobhán", last_name="O'Brien")
    shared = make_demand(campaign, title="Counselors")
    shared.coauthors.add(cast.organisation_x)
    decision = DecisionRequest.ask(
        shared,
        organisations=[cast.organisation_x],
        deadline=timezone.now() + timedelta(days=3),
        by=cast.leader,
    )
    decision.answer(
        organisation=cast.organisation_x, choice="concerns", reason="Fund it.", by=cast.partner_x
    )
    amendment = Amendment.propose(
        shared,
        organisation=cast.organisation_x,
        changes={"summary": "One counselor per 250 students."},
        reason="The ratio.",
        by=cast.partner_x,
        version=shared.version,
    )
    coalition_pages = [
        reverse("demands:detail", args=[shared.pk]),
        decision.get_absolute_url(),
        amendment.get_absolute_url(),
    ]
    pages = {
        "anonymous": [
            reverse("open:campaign", args=[campaign.slug]) + "?lang=en",
            reverse("open:campaign", args=[campaign.slug]) + "?lang=es",
            reverse("open:demands", args=[campaign.slug]) + "?lang=en&q=nurses&status=proposed",
            reverse("actions:rsvp", args=[action.pk]),
            reverse("account_login"),
            "/no-such-page/",
        ],
        "leader": [
            *coalition_pages,
            reverse("demands:decision_ask", args=[shared.pk]),
            reverse("demands:adoption_rule", args=[campaign.slug]),
            reverse("demands:merge", args=[shared.pk]),
            reverse("home"),
            reverse("campaigns:members") + "?q=obrien",
            reverse("campaigns:member_edit", args=[member.pk]),
            reverse("campaigns:import_upload"),
            reverse("demands:detail", args=[demand.pk]),
            reverse("actions:detail", args=[action.pk]),
            reverse("actions:edit", args=[action.pk]),
            reverse("bargaining:campaign", args=[campaign.slug]),
            reverse("campaigns:plan_edit", args=[campaign.slug]),
        ],
        "steward_a": [reverse("campaigns:my_buildings"), reverse("actions:list")],
        "partner_x": [
            reverse("partners:portal"),
            reverse("demands:list"),
            *coalition_pages,
            reverse("demands:amendment_propose", args=[shared.pk]),
        ],
    }
    files = []
    for who, urls in pages.items():
        client = cast.client_for(who)
        for n, url in enumerate(urls):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="es" if n % 2 else "en")
            assert response.status_code in {200, 404}, (who, url, response.status_code)
            path = tmp_path / f"{who}-{n}.html"
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
