"""Implementation plans: commitments of a won demand or a tentative agreement, with owners,
due dates, status and evidence; overdue computed in the local's zone; owners reminded before
the due date (re-planned when it moves); the public page and the PDF report show the
published ones, the overdue marked."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Reminder
from bargaining.models import Commitment
from bargaining.report import render_public_report
from bargaining.tasks import note_overdue_commitments
from bargaining.tracker import implementation_plan
from campaigns.models import Campaign
from demands.models import Demand

from ..partners.factories import PDF
from . import factories as bf

pytestmark = pytest.mark.django_db

# 29 November 2026 in California (the evening_in_california clock); already the 30th in UTC.
TODAY = date(2026, 11, 29)


def reminders(commitment, **extra):
    return Reminder.objects.filter(
        event_label="bargaining.commitment", event_id=commitment.pk, **extra
    )


def form(demand, **extra):
    data = {
        "demand": demand.pk,
        "title": "Hire twenty counselors",
        "owner_kind": "district",
        "due_on": "2027-02-01",
        "status": "not_started",
    }
    data.update(extra)
    return data


def test_overdue_is_the_day_after_the_due_date_in_the_locals_zone(cast, evening_in_california):
    due_today = bf.make_commitment(cast.campaign, due_on=TODAY)
    due_yesterday = bf.make_commitment(cast.campaign, due_on=TODAY - timedelta(days=1))
    done = bf.make_commitment(cast.campaign, due_on=TODAY - timedelta(days=9), status="done")
    # In UTC it is already the 30th: a server-zone "today" would call due_today overdue.
    assert not due_today.is_overdue
    assert due_yesterday.is_overdue and due_yesterday.status_label == "Overdue"
    assert not done.is_overdue and done.status_label == "Done"


def test_a_leader_adds_a_commitment_with_a_document_as_evidence(cast, evening_in_california):
    demand = bf.make_demand(cast.campaign, status=Demand.Status.WON)
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    client = cast.client_for("leader")
    response = client.post(
        reverse("bargaining:commitment_new", args=[cast.campaign.slug]),
        {**form(demand), "evidence_document": upload, "reminded": [cast.partner_x.pk]},
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert list(commitment.reminded.all()) == [cast.partner_x]
    assert commitment.evidence_content_type == "application/pdf"
    with pytest.raises(ValueError):
        commitment.evidence_document.url  # noqa: B018 (private files have no address)
    download = client.get(reverse("bargaining:commitment_evidence", args=[commitment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert not commitment.is_published


def test_evidence_that_is_not_a_document_is_refused(cast):
    demand = bf.make_demand(cast.campaign, status=Demand.Status.WON)
    upload = SimpleUploadedFile("x.pdf", b"<script>", content_type="application/pdf")
    response = cast.client_for("leader").post(
        reverse("bargaining:commitment_new", args=[cast.campaign.slug]),
        {**form(demand), "evidence_document": upload},
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_only_a_won_or_tentatively_agreed_demand_has_a_plan(cast):
    demand = bf.make_demand(cast.campaign, status=Demand.Status.PROPOSED)
    response = cast.client_for("leader").post(
        reverse("bargaining:commitment_new", args=[cast.campaign.slug]), form(demand)
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_an_agreement_can_carry_a_plan(cast):
    agreement = bf.make_agreement(cast.campaign)
    response = cast.client_for("leader").post(
        reverse("bargaining:commitment_new", args=[cast.campaign.slug]),
        {**form(bf.make_demand(cast.campaign)), "demand": "", "agreement": agreement.pk},
    )
    assert response.status_code == 302
    assert Commitment.objects.get().agreement == agreement


def test_owners_are_reminded_a_week_and_a_day_before_the_due_date(cast, evening_in_california):
    commitment = bf.make_commitment(cast.campaign, due_on=date(2027, 1, 15))
    commitment.reminded.set([cast.steward_a])
    commitment.save_edits(reminded=[cast.steward_a])
    rows = reminders(commitment, status=Reminder.Status.PENDING)
    emails = {row.recipient_email for row in rows}
    assert cast.leader.email in emails and cast.steward_a.email in emails
    assert cast.partner_x.email not in emails
    # 09:00 in California on the 8th and the 14th of January.
    due = sorted({row.due_at.isoformat() for row in rows})
    assert due == ["2027-01-08T17:00:00+00:00", "2027-01-14T17:00:00+00:00"]


def test_moving_the_due_date_replans_the_reminders_in_the_same_save(cast, evening_in_california):
    commitment = bf.make_commitment(cast.campaign, due_on=date(2027, 1, 15))
    client = cast.client_for("leader")
    client.post(
        reverse("bargaining:commitment_edit", args=[commitment.pk]),
        form(commitment.demand, due_on="2027-03-15"),
    )
    due = sorted({r.due_at.date() for r in reminders(commitment, status="pending")})
    assert due == [date(2027, 3, 8), date(2027, 3, 14)]


def test_a_done_commitment_reminds_no_one(cast, evening_in_california):
    commitment = bf.make_commitment(cast.campaign, due_on=date(2027, 1, 15))
    assert reminders(commitment, status="pending").exists()
    commitment.status = Commitment.Status.DONE
    commitment.save_edits()
    assert not reminders(commitment, status="pending").exists()


def test_the_public_page_shows_what_we_won_with_the_overdue_marked(
    cast, client, evening_in_california
):
    bf.make_public_page(cast.campaign)
    late = bf.make_commitment(cast.campaign, title="Open the family centre", due_on=TODAY)
    on_time = bf.make_commitment(
        cast.campaign, demand=late.demand, title="Hire counselors", due_on=date(2027, 6, 1)
    )
    hidden = bf.make_commitment(cast.campaign, title="Secret plan", published=False)
    of_hidden_demand = bf.make_commitment(
        cast.campaign,
        demand=bf.make_demand(cast.campaign, status="won", published=False),
        title="Plan of an unpublished demand",
    )
    page_url = reverse("open:campaign", args=[cast.campaign.slug])
    page = client.get(page_url).content.decode()
    assert "What we won and whether it is happening" in page
    assert late.title in page and on_time.title in page
    assert hidden.title not in page and of_hidden_demand.title not in page
    assert 'class="commitment"' in page and "commitment-overdue" not in page
    evening_in_california.shift(timedelta(days=1))
    note_overdue_commitments()
    page = client.get(page_url).content.decode()
    assert f'class="commitment commitment-overdue" id="commitment-{late.pk}"' in page
    assert "1 overdue" in page


def test_the_pdf_report_marks_the_overdue_commitments(cast, evening_in_california):
    bf.make_public_page(cast.campaign)
    bf.make_commitment(cast.campaign, title="Open the family centre", due_on=TODAY - timedelta(1))
    bf.make_commitment(cast.campaign, title="Hire counselors", due_on=date(2027, 6, 1))
    bf.make_commitment(cast.campaign, title="Secret plan", published=False)
    campaign = Campaign.objects.select_related("local", "public_page").get(pk=cast.campaign.pk)
    pdf, _pages = render_public_report(campaign, "en")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "What we won and whether it is happening" in text
    assert "OVERDUE: Open the family centre" in text
    assert "OVERDUE: Hire counselors" not in text and "Hire counselors" in text
    assert "Secret plan" not in text


def test_published_evidence_is_public_and_unpublished_is_not(cast, client):
    bf.make_public_page(cast.campaign)
    commitment = bf.make_commitment(cast.campaign, published=False)
    commitment.evidence_document.save("e.pdf", io.BytesIO(PDF))
    commitment.evidence_content_type = "application/pdf"
    commitment.save()
    url = reverse("open:evidence", args=[cast.campaign.slug, commitment.pk])
    assert client.get(url).status_code == 404
    commitment.publish(by=cast.leader)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("open:campaign", args=[cast.campaign.slug])).content.decode()


def test_the_plan_takes_constant_queries(cast, django_assert_num_queries):
    for n in range(5):
        demand = bf.make_demand(cast.campaign, status="won")
        for _ in range(n + 1):
            bf.make_commitment(cast.campaign, demand=demand)
    with django_assert_num_queries(1):
        groups = implementation_plan(cast.campaign)
        assert [len(g.commitments) for g in groups] == [1, 2, 3, 4, 5]
        assert all(g.overdue_count >= 0 for g in groups)


def test_a_commitment_is_previewed_and_published_through_the_usual_pages(cast, client):
    bf.make_public_page(cast.campaign)
    commitment = bf.make_commitment(cast.campaign, published=False)
    leader = cast.client_for("leader")
    preview = leader.get(reverse("bargaining:preview", args=["commitment", commitment.pk]))
    assert commitment.title in preview.content.decode()
    assert commitment.title_es in preview.content.decode()
    leader.post(reverse("bargaining:publish", args=["commitment", commitment.pk]))
    commitment.refresh_from_db()
    assert commitment.is_published
    listing = leader.get(reverse("bargaining:commitments", args=[cast.campaign.slug]))
    assert commitment.title in listing.content.decode()


def test_going_overdue_moves_the_public_version_once(cast, evening_in_california):
    late = bf.make_commitment(cast.campaign, due_on=TODAY)
    bf.make_commitment(cast.campaign, due_on=TODAY, status="done")
    version = Campaign.objects.get(pk=cast.campaign.pk).public_version
    note_overdue_commitments()
    assert Campaign.objects.get(pk=cast.campaign.pk).public_version == version
    evening_in_california.shift(timedelta(days=1))
    note_overdue_commitments()
    note_overdue_commitments()
    assert Campaign.objects.get(pk=cast.campaign.pk).public_version == version + 1
    late.refresh_from_db()
    assert late.overdue_noted
    # A new due date makes it due again, and overdue again in its turn.
    late.due_on = TODAY + timedelta(days=3)
    late.save_edits()
    late.refresh_from_db()
    assert not late.overdue_noted
