"""The pages people read pass the W3C Nu HTML Checker (vnu), an independent parser rather than
our own asserts: every page of the URL configuration, as each role that may read it (a leader,
a steward, a partner and someone signed out), in English and Spanish.

The pages come from the access matrix (tests/test_access_matrix.py), so a new view is checked
here as soon as it has a rule there. Every page goes to one vnu run: starting Java is most of
the cost.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Rsvp
from api import webhooks
from api.models import Token, Webhook
from demands.models import Amendment, DecisionRequest
from reach.confirmation import confirm_token
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
from tests.broadcasts.factories import make_broadcast
from tests.campaigns.factories import make_test
from tests.reach.factories import make_petition
from tests.services import ROOT
from tests.test_access_matrix import OK, OWN, ROUTES

pytestmark = pytest.mark.django_db

VNU = Path(
    os.environ.get("VNU_JAR", ROOT / "var" / "tools" / "node_modules/vnu-jar/build/dist/vnu.jar")
)
# The roles whose pages differ: a second steward, partner or local sees the same templates.
READERS = ["anonymous", "leader", "steward_a", "partner_x"]
# allauth's pages without an object in their address, as the one who uses them.
ACCOUNT_PAGES = {
    "anonymous": [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_email_verification_sent",
        "account_inactive",
    ],
    "leader": [
        "account_logout",
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
    ],
}
# htmx's own attribute names are not in the HTML standard (the project writes data-hx-*,
# which is; a stray hx-* from a library would be reported under this message).
HTMX_ATTRIBUTE = re.compile(r"Attribute “hx-[a-z-]+” not allowed")


def require_vnu() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.skip(
            "needs Java and the Nu HTML Checker (npm install --prefix var/tools vnu-jar; CI does)"
        )
    return [java, "-jar", str(VNU)]


def run_vnu(vnu: list[str], files: list[Path]) -> list[str]:
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not HTMX_ATTRIBUTE.search(m["message"])
    ]


def is_html(response) -> bool:
    return response.status_code in {200, 403, 404} and response.get("Content-Type", "").startswith(
        "text/html"
    )


@pytest.fixture
def page_settings(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    settings.WHITENOISE_AUTOREFRESH = True


def collect_pages(cast, out: Path) -> dict[Path, str]:
    """Every page of the URL configuration, saved as each reader gets it; the file's name says
    which address and reader it is."""
    clients = {who: cast.client_for(who) for who in READERS}
    saved: dict[Path, str] = {}
    number = 0

    def save(who: str, url: str, response) -> None:
        nonlocal number
        number += 1
        path = out / f"{number:03d}-{who}.html"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        path.write_bytes(content)
        saved[path] = f"{who} {url}"

    for name, route in sorted(ROUTES.items()):
        if route.get in (None, OWN) or not any(route.get[who] == OK for who in READERS):
            continue
        with transaction.atomic():
            url = reverse(name, kwargs=route.kwargs(cast))
            for who in READERS:
                if route.get[who] != OK:
                    continue
                language = "es" if number % 2 else "en"
                response = clients[who].get(url, HTTP_ACCEPT_LANGUAGE=language)
                if is_html(response):
                    save(who, url, response)
            transaction.set_rollback(True)
    for who, names in ACCOUNT_PAGES.items():
        client = cast.client_for(who)
        for name in names:
            url = reverse(name)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="es" if number % 2 else "en")
            if is_html(response):
                save(who, url, response)
    # The refusals (each is the site's error page, in its layout) and a public page in Spanish.
    # The public pages in each content language (Hmong has no interface catalogue; Arabic
    # reads right to left), and a broadcast's one-click unsubscribe page.
    sent = make_broadcast(cast.campaign, name="Sent")
    sent.schedule(by=cast.leader)
    from broadcasts.composing import unsubscribe_token

    public = reverse("open:campaign", args=[cast.campaign.slug])
    # A petition's public page, its thanks and the confirmation a signer opens from the email.
    petition = make_petition(cast.campaign)
    petition.add_paper_signatures([{"name": "Lee Park", "postcode": "95815"}], by=cast.leader)
    signature = petition.sign_online(name="Ana Reyes", email="ana@example.org", language="es")
    extra = [
        ("anonymous", petition.get_public_url() + "?lang=es"),
        ("anonymous", petition.get_public_url() + "?thanks=1"),
        ("anonymous", f"{petition.get_public_url()}confirm/{confirm_token(signature.pk)}/"),
        *survey_pages(cast),
        ("anonymous", "/no-such-page/"),
        ("steward_a", reverse("bargaining:campaign", args=[cast.campaign.slug])),
        ("anonymous", public + "?lang=es"),
        ("anonymous", reverse("open:articles", args=[cast.campaign.slug]) + "?lang=es"),
        ("anonymous", public + "?lang=hmn"),
        ("anonymous", public + "?lang=ar"),
        (
            "anonymous",
            reverse("broadcasts:unsubscribe", args=[unsubscribe_token(sent.deliveries.first().pk)]),
        ),
    ]
    for who, url in extra:
        save(who, url, clients[who].get(url))
    return saved


def survey_pages(cast) -> list[tuple[str, str]]:
    """A bargaining survey's results with answers in each building and a written answer made a
    finding, a member's thanks, and a closed listening survey."""
    from surveys.models import Answer, Survey
    from tests.surveys.factories import answers_for, make_survey

    survey = make_survey(cast.campaign, open_by=cast.leader, slug="answered")
    member = f.make_member(cast.building_a)
    survey.respond(answers_for(survey, text="Nurses <every> day"), member=member)
    survey.respond(answers_for(survey, single="Pay"), member=f.make_member(cast.building_b))
    Answer.objects.get(response__survey=survey, text__startswith="Nurses").make_finding(
        organisation=cast.organisation_x, kind="problem", by=cast.leader
    )
    survey.respond(answers_for(survey, text="Counselors"), member=f.make_member(cast.building_a))
    closed = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="closed"
    )
    closed.close(by=cast.leader)
    personal = reverse("surveys:personal", args=[survey.link_token(member)])
    return [
        ("leader", reverse("surveys:results", args=[survey.pk])),
        ("anonymous", personal + "?thanks=1"),
        ("anonymous", reverse("open_surveys:answer", args=[cast.campaign.slug, "closed"])),
    ]


def test_every_kind_of_page_is_valid_html(cast, tmp_path, page_settings):
    vnu = require_vnu()
    campaign = cast.campaign
    cast.local.content_languages = ["es", "hmn", "ar"]
    cast.local.save()
    make_public_page(campaign, tracker_on=True)
    # The article tracker with both sides' positions, an agreement and a commitment.
    proposal = make_proposal(campaign)
    make_version(proposal, text="Class size of 24 <students>")
    make_version(proposal, side="employer", text="Class size of 28 <students>")
    make_agreement(campaign, proposal=make_proposal(campaign))
    make_commitment(campaign, evidence_link="https://district.example/minutes")
    make_demand(campaign, title="Nurses in every school — ممرضة في كل مدرسة")
    # The steward's page with a "Text" button (an sms: address with the leaders' text).
    from broadcasts.models import BroadcastSettings

    BroadcastSettings.objects.create(local=cast.local, text_template="Hi {first_name} & all")
    # A demand shared with an organisation, with a decision asked and an amendment proposed.
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
    Amendment.propose(
        shared,
        organisation=cast.organisation_x,
        changes={"summary": "One counselor per 250 students."},
        reason="The ratio.",
        by=cast.partner_x,
        version=shared.version,
    )
    # The API's pages with a token, a webhook and a delivery in its log.
    Token.issue(cast.leader, name="Action Network sync", read_only=True, days=90)
    Webhook.register(
        local=cast.local, url="https://hooks.example.org/in", events=["rsvp"], by=cast.leader
    )
    webhooks.plan(cast.local.pk, "rsvp", "rsvp:example", {"identifiers": []})
    f.make_member(cast.building_a, first_name="Texty", phone="(916) 555-0101")
    make_session(campaign)
    action = make_action(campaign, is_public=True, buildings=[cast.building_a])
    # A phone typed with spaces, and one that is no number at all: neither may break a tel: link.
    Rsvp.objects.create(
        action=action, source=Rsvp.Source.PUBLIC, name="Ana", email="ana@example.org",
        phone="+1 916 555 0142",
    )  # fmt: skip
    f.make_member(
        cast.building_a,
        first_name="Siobhán",
        last_name="O'Brien",
        phone="916 555 0199",
        preferred_language="es",
    )
    # With two structure tests the phone page offers a choice of which to tick.
    make_test(campaign, "Signed the petition")
    make_test(campaign, "Wore red on Thursday")
    pages = collect_pages(cast, tmp_path)
    assert len(pages) > 100, "the walk lost most of the pages"
    assert_free_text_fields_take_their_direction_from_the_text(pages)
    errors = run_vnu(vnu, list(pages))
    named = [f"{pages[tmp_path / e.split(':', 1)[0]]} {e}" for e in errors]
    assert named == [], "\n".join(named)


FREE_TEXT = re.compile(
    r'<textarea\b[^>]*>|<input\b(?:(?!type=)[^>])*>|<input\b[^>]*type="(?:text|search)"[^>]*>'
)


def assert_free_text_fields_take_their_direction_from_the_text(pages: dict[Path, str]) -> None:
    """Names and notes come in any script: every text area and free-text input says
    dir="auto", so that a right-to-left name shows the right way round."""
    fields = 0
    for path, where in pages.items():
        for tag in FREE_TEXT.findall(path.read_text()):
            if 'type="hidden"' in tag:
                continue
            fields += 1
            assert 'dir="auto"' in tag, f"{where}: {tag}"
    assert fields > 50, "the pages lost their forms"
