"""The pages people read pass the W3C Nu HTML Checker (vnu), an independent parser rather than
our own asserts: one page of each kind, as the role that reads it, in English and Spanish."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as f
from tests.actions.factories import make_action
from tests.bargaining.factories import (
    make_agreement,
    make_commitment,
    make_demand,
    make_proposal,
    make_public_page,
    make_session,
    make_version,
)
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
    make_public_page(campaign, tracker_on=True)
    demand = make_demand(campaign, title="Nurses in every school — ممرضة في كل مدرسة")
    make_session(campaign)
    proposal = make_proposal(campaign)
    make_version(proposal, text="Class size of 24 <students>")
    make_version(proposal, side="employer", text="Class size of 28 <students>")
    make_agreement(campaign, proposal=make_proposal(campaign))
    commitment = make_commitment(campaign, evidence_link="https://district.example/minutes")
    action = make_action(campaign, is_public=True, buildings=[cast.building_a])
    member = f.make_member(cast.building_a, first_name="Siobhán", last_name="O'Brien")
    pages = {
        "anonymous": [
            reverse("open:campaign", args=[campaign.slug]) + "?lang=en",
            reverse("open:campaign", args=[campaign.slug]) + "?lang=es",
            reverse("open:demands", args=[campaign.slug]) + "?lang=en&q=nurses&status=proposed",
            reverse("open:articles", args=[campaign.slug]) + "?lang=en",
            reverse("open:articles", args=[campaign.slug]) + "?lang=es",
            reverse("actions:rsvp", args=[action.pk]),
            reverse("account_login"),
            "/no-such-page/",
        ],
        "leader": [
            reverse("home"),
            reverse("campaigns:members") + "?q=obrien",
            reverse("campaigns:member_edit", args=[member.pk]),
            reverse("campaigns:import_upload"),
            reverse("demands:detail", args=[demand.pk]),
            reverse("actions:detail", args=[action.pk]),
            reverse("actions:edit", args=[action.pk]),
            reverse("bargaining:campaign", args=[campaign.slug]),
            reverse("campaigns:plan_edit", args=[campaign.slug]),
            reverse("bargaining:commitments", args=[campaign.slug]),
            reverse("bargaining:commitment_edit", args=[commitment.pk]),
            reverse("bargaining:preview", args=["commitment", commitment.pk]),
            reverse("bargaining:public_articles_preview", args=[campaign.slug]),
            reverse("bargaining:articles", args=[campaign.slug]),
            reverse("bargaining:proposal", args=[proposal.pk]),
        ],
        "steward_a": [reverse("campaigns:my_buildings"), reverse("actions:list")],
        "partner_x": [reverse("partners:portal"), reverse("demands:list")],
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
