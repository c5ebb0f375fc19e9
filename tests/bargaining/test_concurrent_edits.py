"""Sessions, proposals and their versions, and an article's switch on the public tracker: a
stale save gets the merge page, loses nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bargaining.models import ContractArticle
from tests import factories as f
from tests.forms import form_data, save_merge, stale_save

from .factories import make_agreement, make_event, make_proposal, make_session, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_leader(cast):
    client = Client()
    client.force_login(f.make_leader(cast.local))
    return client


@time_machine.travel(datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles")))
def test_stale_session_save_keeps_the_new_start_and_adds_the_notes(cast, second_leader):
    session = make_session(cast.campaign, notes="")
    url = reverse("bargaining:session_edit", args=[session.pk])
    leader = cast.client_for("leader")
    stale = stale_save(
        leader,
        second_leader,
        url,
        {"place": "Board room, second floor"},
        {"notes": "The district asked for a caucus."},
    )
    session.refresh_from_db()
    assert session.place == "Board room, second floor"
    starts_at = session.starts_at
    save_merge(second_leader, url, stale)
    session.refresh_from_db()
    assert (session.place, session.notes) == (
        "Board room, second floor",
        "The district asked for a caucus.",
    )
    # The times, shown and sent back in local time, are the same moment and were not touched.
    assert session.starts_at == starts_at


def test_stale_proposal_save_keeps_the_spanish_topic(cast, second_leader, spanish):
    proposal = make_proposal(cast.campaign, topic="Class size", article=None)
    url = reverse("bargaining:proposal_edit", args=[proposal.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"topic_es": "Tamaño de las clases"},
        {"topic": "Class size caps"},
    )
    save_merge(second_leader, url, stale)
    proposal.refresh_from_db()
    assert (proposal.topic, proposal.topic_es) == ("Class size caps", "Tamaño de las clases")


def test_stale_version_save_keeps_the_corrected_text(cast, second_leader, spanish):
    proposal = make_proposal(cast.campaign)
    version = make_version(proposal, text="Caps of 24 in K-3.")
    url = reverse("bargaining:version_edit", args=[version.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"text": "Caps of 22 in K-3."},
        {"text_es": "Límite de 24 en K-3."},
    )
    version.refresh_from_db()
    assert version.text == "Caps of 22 in K-3."
    save_merge(second_leader, url, stale)
    version.refresh_from_db()
    assert (version.text, version.text_es) == ("Caps of 22 in K-3.", "Límite de 24 en K-3.")


def test_stale_agreement_save_keeps_the_signatories(cast, second_leader):
    agreement = make_agreement(cast.campaign, signed_on=date(2026, 10, 1))
    url = reverse("bargaining:agreement_edit", args=[agreement.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"union_signatories": "M. Reyes, union chair"},
        {"summary": "Caps of 24 in K-3 from next August."},
    )
    save_merge(second_leader, url, stale)
    agreement.refresh_from_db()
    assert (agreement.union_signatories, agreement.summary) == (
        "M. Reyes, union chair",
        "Caps of 24 in K-3 from next August.",
    )


def test_stale_event_save_keeps_the_vote_count(cast, second_leader, spanish):
    event = make_event(cast.campaign)
    url = reverse("bargaining:event_edit", args=[event.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"votes_yes": "1200"},
        {"title_es": "Los miembros ratifican el contrato"},
    )
    save_merge(second_leader, url, stale)
    event.refresh_from_db()
    assert (event.votes_yes, event.title_es) == (1200, "Los miembros ratifican el contrato")


def test_a_stale_tracker_switch_gets_the_merge_page_instead_of_undoing_a_switch(
    cast, second_leader
):
    article = ContractArticle.objects.create(campaign=cast.campaign, number="12", title="Class")
    page = reverse("bargaining:articles", args=[cast.campaign.slug])
    switch = reverse("bargaining:article_tracker", args=[article.pk])
    leader = cast.client_for("leader")
    shown_to_second = form_data(second_leader.get(page))
    assert shown_to_second == {"edit_version": "1", "edit_base": shown_to_second["edit_base"]}
    # The first leader takes it off the tracker and puts it back, from fresh pages.
    assert leader.post(switch, form_data(leader.get(page))).status_code == 302
    assert (
        leader.post(switch, {**form_data(leader.get(page)), "on_tracker": "on"}).status_code == 302
    )
    article.refresh_from_db()
    assert (article.on_tracker, article.version) == (True, 3)
    # The second leader's page still said "on": taking it off now is a stale save.
    stale = second_leader.post(switch, shown_to_second)
    assert stale.status_code == 409
    assert "Someone else saved this while you were editing." in stale.content.decode()
    article.refresh_from_db()
    assert article.on_tracker
    save_merge(second_leader, switch, stale)  # the merge page holds this leader's "off"
    article.refresh_from_db()
    assert (article.on_tracker, article.version) == (False, 4)


def test_the_tracker_switch_without_a_version_still_switches(cast):
    article = ContractArticle.objects.create(campaign=cast.campaign, number="7", title="Pay")
    switch = reverse("bargaining:article_tracker", args=[article.pk])
    assert cast.client_for("leader").post(switch).status_code == 302
    article.refresh_from_db()
    assert not article.on_tracker
