"""The bargaining record in every content language: kept in ``i18n``, read in the reader's
language by the public page, the feed, the PDF and the tracker, marked where a translation is
missing, and translated by leaders through the record's version check."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bargaining.models import CampaignEvent, Commitment, Session
from bargaining.report import render_public_report
from campaigns.versioning import EditConflict
from tests import factories as f
from tests.forms import save_merge, stale_save

from . import factories as bf

pytestmark = pytest.mark.django_db

HMONG_NOTE = "Not yet translated into Hmong"


@pytest.fixture
def languages(cast):
    cast.local.content_languages = ["es", "hmn"]
    cast.local.save(update_fields=["content_languages"])
    return cast.local


def open_url(name, campaign, lang):
    return reverse(name, args=[campaign.slug]) + f"?lang={lang}"


def test_a_spanish_text_is_a_translation_in_i18n(cast):
    session = bf.make_session(cast.campaign, public_summary_es="Resumen público")
    session.refresh_from_db()
    assert session.i18n == {"public_summary_es": "Resumen público"}
    assert session.text_in("public_summary", "es").text == "Resumen público"
    hmong = session.text_in("public_summary", "hmn")
    assert (hmong.text, hmong.missing) == ("Public summary", True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_spanish_column_into_i18n(cast):
    executor = MigrationExecutor(connection)
    before = [("bargaining", "0006_audit_trail_field_names")]
    # Every app's latest, not only bargaining's: going back unapplies the other apps'
    # migrations that depend on it (the audit trail's), which must come back too.
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        OldSession = apps.get_model("bargaining", "Session")
        OldEvent = apps.get_model("bargaining", "CampaignEvent")
        start = bf.START
        session = OldSession.objects.create(
            campaign_id=cast.campaign.pk,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            place="Board room",
            public_summary="We met.",
            public_summary_es="Nos reunimos.",
        )
        event = OldEvent.objects.create(
            campaign_id=cast.campaign.pk,
            kind="impasse",
            occurred_on=start.date(),
            title="Impasse",
            title_es="Impasse declarado",
            description="No agreement.",
            description_es="",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert not MigrationExecutor(connection).migration_plan(latest), "left a migration undone"
    moved = Session.objects.get(pk=session.pk)
    assert moved.i18n == {"public_summary_es": "Nos reunimos."}
    # An empty Spanish text is no translation: it reads as missing.
    assert CampaignEvent.objects.get(pk=event.pk).i18n == {"title_es": "Impasse declarado"}
    cast.local.refresh_from_db()
    assert "es" in cast.local.content_languages


def test_the_public_page_reads_spanish_and_marks_hmong(cast, client, languages):
    bf.make_public_page(cast.campaign)
    bf.make_session(cast.campaign, public_summary="We met.", public_summary_es="Nos reunimos.")
    bf.make_event(cast.campaign, title="Members ratify", title_hmn="Cov tswv cuab pom zoo")
    spanish = client.get(open_url("open:campaign", cast.campaign, "es")).content.decode()
    assert "Nos reunimos." in spanish and "Los miembros ratifican" in spanish
    assert "Not yet translated" not in spanish and "Aún no traducido" not in spanish
    hmong = client.get(open_url("open:campaign", cast.campaign, "hmn")).content.decode()
    assert '<div lang="en" dir="ltr"><p>We met.</p></div>' in hmong
    assert HMONG_NOTE in hmong
    assert '<span lang="hmn" dir="ltr">Cov tswv cuab pom zoo</span>' in hmong


def test_the_feed_reads_spanish_and_notes_what_hmong_lacks(cast, client, languages):
    bf.make_public_page(cast.campaign)
    bf.make_session(cast.campaign, public_summary="We met.", public_summary_es="Nos reunimos.")
    spanish = client.get(open_url("open:feed", cast.campaign, "es")).content.decode()
    assert "Nos reunimos." in spanish
    hmong = client.get(open_url("open:feed", cast.campaign, "hmn")).content.decode()
    assert "We met." in hmong and f"({HMONG_NOTE})" in hmong


def test_the_pdf_report_reads_spanish_and_marks_hmong(cast, languages):
    bf.make_public_page(cast.campaign)
    bf.make_agreement(cast.campaign, title="Caseloads", title_es="Cargas de casos")

    def text(language):
        pdf, _pages = render_public_report(cast.campaign, language)
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)

    assert "Cargas de casos" in text("es")
    hmong = " ".join(text("hmn").split())
    assert "Caseloads" in hmong and HMONG_NOTE in hmong


def test_the_article_tracker_reads_spanish_and_marks_hmong(cast, client, languages):
    bf.make_public_page(cast.campaign, tracker_on=True)
    article = bf.make_article(cast.campaign, title="Class size", title_es="Tamaño de clase")
    proposal = bf.make_proposal(cast.campaign, article=article)
    bf.make_version(proposal, text="Caps of 24.", text_es="Máximo 24.")
    spanish = client.get(open_url("open:articles", cast.campaign, "es")).content.decode()
    assert "Tamaño de clase" in spanish and "Máximo 24." in spanish
    hmong = client.get(open_url("open:articles", cast.campaign, "hmn")).content.decode()
    assert "Caps of 24." in hmong and HMONG_NOTE in hmong


def test_the_implementation_plan_marks_a_commitment_not_in_hmong(cast, client, languages):
    bf.make_public_page(cast.campaign)
    bf.make_commitment(cast.campaign, title="Hire counselors", title_es="Contratar consejeros")
    spanish = client.get(open_url("open:campaign", cast.campaign, "es")).content.decode()
    assert "Contratar consejeros" in spanish
    hmong = client.get(open_url("open:campaign", cast.campaign, "hmn")).content.decode()
    assert "Hire counselors" in hmong and HMONG_NOTE in hmong


def test_the_implementation_plan_heads_each_group_in_the_readers_language(cast, client, languages):
    bf.make_public_page(cast.campaign)
    agreement = bf.make_agreement(cast.campaign, title="Class size", title_es="Tamaño de clase")
    bf.make_commitment(cast.campaign, agreement=agreement)
    bf.make_commitment(cast.campaign, title="Hire nurses", title_es="Contratar enfermeras")
    spanish = client.get(open_url("open:campaign", cast.campaign, "es")).content.decode()
    assert (
        '<h3><span class="meta">Acuerdo tentativo:</span> '
        '<span lang="es" dir="ltr">Tamaño de clase</span>'
    ) in spanish
    # The won demand has no Spanish title: the English one stands in, marked.
    assert '<h3><span class="meta">Demanda:</span> <span lang="en" dir="ltr">Demand' in spanish
    assert "Aún no traducido al Español" in spanish
    hmong = client.get(open_url("open:campaign", cast.campaign, "hmn")).content.decode()
    assert '<span class="meta">Tentative agreement:</span> <span lang="en" dir="ltr">Class' in (
        hmong
    )


def test_a_leader_translates_a_published_record_and_the_public_page_follows(
    cast, client, languages
):
    bf.make_public_page(cast.campaign)
    event = bf.make_event(cast.campaign, title="Impasse", title_es="", kind="impasse")
    url = reverse("bargaining:translations", args=["event", event.pk])
    leader = cast.client_for("leader")
    page = leader.get(url).content.decode()
    assert (
        "Missing: Spanish, Hmong"
        in leader.get(reverse("bargaining:campaign", args=[cast.campaign.slug])).content.decode()
    )
    assert 'name="title_hmn"' in page and 'lang="hmn"' in page
    cast.campaign.refresh_from_db()
    before = cast.campaign.public_version
    response = leader.post(
        url, {"version": event.version, "title_es": "Impasse declarado", "title_hmn": ""}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.i18n == {"title_es": "Impasse declarado"}
    assert event.version == 2
    cast.campaign.refresh_from_db()
    assert cast.campaign.public_version == before + 1
    spanish = client.get(open_url("open:campaign", cast.campaign, "es")).content.decode()
    assert "Impasse declarado" in spanish


def test_a_stale_translation_is_refused_and_keeps_what_was_typed(cast, languages):
    session = bf.make_session(cast.campaign)
    url = reverse("bargaining:translations", args=["session", session.pk])
    leader = cast.client_for("leader")
    session.edit(expected_version=session.version, by=cast.leader, notes="Caucus at noon.")
    response = leader.post(url, {"version": 1, "public_summary_es": "Nos reunimos otra vez."})
    assert response.status_code == 409
    assert "Nos reunimos otra vez." in response.content.decode()
    session.refresh_from_db()
    assert session.i18n == {"public_summary_es": "Resumen público"}


def test_versioned_edit_writes_translations_and_checks_the_version(cast):
    session = bf.make_session(cast.campaign, public_summary_es="Resumen")
    session.edit(expected_version=1, public_summary_hmn="Lus luv", public_summary_es="")
    session.refresh_from_db()
    assert session.i18n == {"public_summary_hmn": "Lus luv"}
    with pytest.raises(EditConflict):
        session.edit(expected_version=1, public_summary_es="Otra")
    session.refresh_from_db()
    assert session.i18n == {"public_summary_hmn": "Lus luv"}


def test_the_session_form_has_a_box_per_language_and_a_new_session_keeps_them(cast, languages):
    leader = cast.client_for("leader")
    url = reverse("bargaining:session_new", args=[cast.campaign.slug])
    page = leader.get(url).content.decode()
    assert 'name="public_summary_es"' in page and 'name="public_summary_hmn"' in page
    leader.post(
        url,
        {
            "starts_at": "2026-10-01T16:30",
            "ends_at": "2026-10-01T19:00",
            "place": "Board room",
            "format": "open",
            "status": "scheduled",
            "member_observers": 0,
            "community_observers": 0,
            "public_summary": "We met.",
            "public_summary_hmn": "Peb tau ntsib.",
        },
    )
    assert Session.objects.get().i18n == {"public_summary_hmn": "Peb tau ntsib."}


def test_two_leaders_saving_a_commitment_at_once_get_the_merge_page(cast):
    commitment = bf.make_commitment(cast.campaign, owner_name="Joint committee")
    url = reverse("bargaining:commitment_edit", args=[commitment.pk])
    second_leader = Client()
    second_leader.force_login(f.make_leader(cast.local))
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"owner_name": "Joint class-size committee"},
        {"status": "under_way"},
    )
    assert stale.status_code == 409
    assert "Someone else saved this while you were editing." in stale.content.decode()
    commitment.refresh_from_db()
    assert (commitment.owner_name, commitment.status) == (
        "Joint class-size committee",
        "not_started",
    )
    save_merge(second_leader, url, stale)
    commitment = Commitment.objects.get(pk=commitment.pk)
    assert (commitment.owner_name, commitment.status) == ("Joint class-size committee", "under_way")
