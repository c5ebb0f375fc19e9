"""A demand's status and the bargaining record tell one story: tabling a proposal that carries
the demand puts it at the table, a tentative agreement on it makes it tentatively agreed, both
recorded as status changes; a leader may still set the status by hand, with a reason, and the
public tracker then shows both without ever contradicting itself."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats

from bargaining.models import TentativeAgreement
from demands.models import Demand, DemandTransition

from . import factories as bf
from .test_sessions_and_proposals import thread_data

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")


def page(client, campaign) -> str:
    url = reverse("open:campaign", args=[campaign.slug]) + "?lang=en"
    return client.get(url).content.decode()


def tracker_row(body: str, title: str) -> str:
    return body.split(title, 1)[1].split("</tr>")[0]


def test_tabling_a_proposal_puts_the_demand_at_the_table(cast):
    demand = bf.make_demand(cast.campaign, status="adopted")
    response = cast.client_for("leader").post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, demand),
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Demand.Status.PROPOSED
    change = demand.transitions.get()
    assert (change.from_status, change.to_status) == ("adopted", "proposed")
    assert change.cause == DemandTransition.Cause.BARGAINING
    assert change.by == cast.leader
    assert "was tabled" in change.why


def test_a_demand_newly_carried_by_a_thread_on_the_table_is_at_the_table(cast):
    demand = bf.make_demand(cast.campaign, status="adopted")
    proposal = bf.make_proposal(cast.campaign, topic="Nurses", article=None)
    bf.make_version(proposal)
    cast.client_for("leader").post(
        reverse("bargaining:proposal_edit", args=[proposal.pk]),
        {"topic": "Nurses", "demands": [demand.pk]},
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.PROPOSED


def test_recording_a_tentative_agreement_makes_its_demands_tentatively_agreed(cast):
    demand = bf.make_demand(cast.campaign, status="adopted")
    proposal = bf.make_proposal(cast.campaign, demands=[demand])
    bf.make_version(proposal, by=cast.leader)
    response = cast.client_for("leader").post(
        reverse("bargaining:agreement_new", args=[cast.campaign.slug]),
        {
            "proposal": proposal.pk,
            "title": "Class size",
            "signed_on": "2026-11-10",
            "union_signatories": "Jackie Howard",
            "employer_signatories": "HR director",
        },
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Demand.Status.TENTATIVE
    assert [(t.to_status, t.cause) for t in demand.transitions.order_by("at", "pk")] == [
        ("proposed", "bargaining"),
        ("tentative", "bargaining"),
    ]


def test_the_record_never_moves_an_outcome_the_leaders_recorded(cast):
    demand = bf.make_demand(cast.campaign, status="withdrawn")
    proposal = bf.make_proposal(cast.campaign, demands=[demand])
    bf.make_version(proposal)
    bf.make_agreement(cast.campaign, proposal=proposal).save_edits()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.WITHDRAWN
    assert not demand.transitions.exists()


def test_a_status_set_by_hand_needs_a_reason(cast):
    demand = bf.make_demand(cast.campaign, status="adopted")
    leader = cast.client_for("leader")
    url = reverse("demands:transition", args=[demand.pk])
    response = leader.post(url, {"to": "proposed", "why": ""}, follow=True)
    assert "Say why the status changes: the reason is recorded." in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ADOPTED
    leader.post(url, {"to": "proposed", "why": "Raised at the table on 3 October."})
    change = Demand.objects.get(pk=demand.pk).transitions.get()
    assert change.cause == DemandTransition.Cause.HAND
    assert change.why == "Raised at the table on 3 October."


def test_the_tracker_shows_the_leaders_status_and_reason_beside_the_bargaining_fact(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Nurses in every school", status="adopted")
    proposal = bf.make_proposal(campaign, demands=[demand], topic="Nurses", article=None)
    bf.make_version(proposal, text="A nurse in every school.")
    demand.refresh_from_db()
    demand.move_to("tentative", by=cast.leader, why="Agreed in the hallway; signing Friday.")
    row = tracker_row(page(client, campaign), "Nurses in every school")
    assert "Tentative agreement" in row
    assert "Set by the union: Agreed in the hallway; signing Friday." in row
    assert "Union · Proposal" in row
    assert "Not yet at the table" not in row


def test_the_public_tracker_never_says_not_at_the_table_beside_a_tentative_agreement(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Smaller classes", status="adopted")
    proposal = bf.make_proposal(campaign, demands=[demand])
    # The record is not published, but the demand's status follows it.
    bf.make_version(proposal, published=False)
    bf.make_agreement(campaign, proposal=proposal, published=False).save_edits()
    row = tracker_row(page(client, campaign), "Smaller classes")
    assert "Tentative agreement" in row
    assert "Not yet at the table" not in row
    assert "The proposals on this demand are not published yet" in row


def test_a_demand_won_outside_the_contract_does_not_speak_of_unpublished_proposals(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    bf.make_demand(campaign, title="No ICE on campus", status="won")
    row = tracker_row(page(client, campaign), "No ICE on campus")
    assert "Won" in row
    assert "Not at the table" in row
    assert "not published yet" not in row


def test_a_published_agreement_is_shown_on_its_demands_row(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Counselors", status="adopted")
    proposal = bf.make_proposal(campaign, demands=[demand])
    agreement = bf.make_agreement(campaign, proposal=proposal)
    agreement.save_edits()
    row = tracker_row(page(client, campaign), "Counselors")
    assert "Tentative agreement" in row
    assert f'href="#ta-{agreement.pk}"' in row
    assert "Not yet at the table" not in row


def test_the_overview_does_not_say_no_agreement_beside_agreed_proposals(cast):
    proposal = bf.make_proposal(cast.campaign, topic="Nurses", article=None)
    bf.make_version(proposal)
    bf.make_version(proposal, side="employer", status="agreed")
    body = (
        cast.client_for("leader")
        .get(reverse("bargaining:campaign", args=[cast.campaign.slug]))
        .content.decode()
    )
    section = body.split('id="agreements-heading"')[1].split("</section>")[0]
    assert "No tentative agreement yet." not in section
    assert "Marked tentatively agreed at the table" in section
    record = reverse("bargaining:agreement_new", args=[cast.campaign.slug])
    assert f"{record}?proposal={proposal.pk}" in section
    form = cast.client_for("leader").get(f"{record}?proposal={proposal.pk}").content.decode()
    assert f'<option value="{proposal.pk}" selected>' in form


def test_the_overview_still_says_no_agreement_when_there_is_none(cast):
    body = (
        cast.client_for("leader")
        .get(reverse("bargaining:campaign", args=[cast.campaign.slug]))
        .content.decode()
    )
    assert "No tentative agreement yet." in body


@time_machine.travel(datetime(2026, 11, 30, 20, 30, tzinfo=PACIFIC), tick=False)
def test_a_tentative_agreement_cannot_be_signed_in_the_future(cast):
    """At 20:30 in California it is already 1 December in UTC: that is still tomorrow."""
    cast.local.timezone = "America/Los_Angeles"
    cast.local.save()
    url = reverse("bargaining:agreement_new", args=[cast.campaign.slug])
    data = {
        "title": "Class size",
        "union_signatories": "Jackie Howard",
        "employer_signatories": "HR director",
    }
    leader = cast.client_for("leader")
    response = leader.post(url, {**data, "signed_on": "2026-12-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "A tentative agreement cannot be signed in the future" in body
    # Today in the local's zone, in the app's date format (30 November, not 1 December).
    assert formats.date_format(date(2026, 11, 30), "DATE_FORMAT") in body
    assert not TentativeAgreement.objects.exists()
    assert leader.post(url, {**data, "signed_on": "2026-11-30"}).status_code == 302
    assert TentativeAgreement.objects.get().signed_on.isoformat() == "2026-11-30"


def test_a_demand_recorded_before_statuses_followed_the_table_reads_as_the_record_says(
    cast, client
):
    """Demands saved before this rule (or written straight to the database) keep their old
    status; the tracker and its chart still tell one story."""
    campaign = cast.campaign
    bf.make_public_page(campaign)
    agreed = bf.make_demand(campaign, title="Class sizes of 24", status="adopted")
    tabled = bf.make_demand(campaign, title="Special education caseloads", status="review")
    with_agreement = bf.make_proposal(campaign, demands=[agreed])
    TentativeAgreement.objects.create(
        campaign=campaign,
        proposal=with_agreement,
        title="Class size",
        signed_on=date(2026, 11, 10),
        union_signatories="Union",
        employer_signatories="District",
        published_at=with_agreement.created_at,
    )
    on_the_table = bf.make_proposal(campaign)
    bf.make_version(on_the_table)
    on_the_table.demands.set([tabled])
    body = page(client, campaign)
    row = tracker_row(body, "Class sizes of 24")
    assert "Tentative agreement" in row and "Adopted" not in row
    row = tracker_row(body, "Special education caseloads")
    assert "Proposed at the table" in row and "In coalition review" not in row
    assert "Not yet at the table" not in row
    from bargaining.public import public_content

    bars = {bar.label: bar.count for bar in public_content(campaign).chart}
    assert bars["Not yet at the table"] == 0
    assert bars["At the table"] == bars["Tentative agreement"] == 1
