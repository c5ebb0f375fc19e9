"""Recording sessions, proposals and counterproposals; bad input saves nothing."""

import pytest
from django.urls import reverse

from bargaining.models import Proposal, ProposalVersion, Session
from tests import factories as f

from . import factories as bf

pytestmark = pytest.mark.django_db

SESSION = {
    "starts_at": "2026-10-01T16:30",
    "ends_at": "2026-10-01T19:30",
    "place": "Board room",
    "format": "open",
    "status": "scheduled",
    "member_observers": 12,
    "community_observers": 4,
    "union_attendees": "Jackie Howard",
    "notes": "Internal",
    "public_summary": "We met.",
    "public_summary_es": "Nos reunimos.",
}


def test_leader_records_a_session_in_the_local_time(cast):
    client = cast.client_for("leader")
    response = client.post(reverse("bargaining:session_new", args=[cast.campaign.slug]), SESSION)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    # The demo local bargains in Sacramento: 16:30 there is 23:30 UTC in October.
    assert session.starts_at.isoformat() == "2026-10-01T23:30:00+00:00"
    assert not session.is_published
    assert session.created_by == cast.leader


def test_a_session_ending_before_it_starts_is_refused_with_a_message(cast):
    client = cast.client_for("leader")
    data = {**SESSION, "ends_at": "2026-10-01T15:00"}
    response = client.post(reverse("bargaining:session_new", args=[cast.campaign.slug]), data)
    assert response.status_code == 400
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_needs_a_place_unless_online(cast):
    client = cast.client_for("leader")
    url = reverse("bargaining:session_new", args=[cast.campaign.slug])
    response = client.post(url, {**SESSION, "place": ""})
    assert "Give a place, or mark the session as online." in response.content.decode()
    assert not Session.objects.exists()
    client.post(url, {**SESSION, "place": "", "is_online": "on"})
    assert Session.objects.get().where == "Online"


def test_editing_a_published_session_bumps_the_public_version(cast):
    bf.make_public_page(cast.campaign)
    session = bf.make_session(cast.campaign)
    client = cast.client_for("leader")
    client.post(reverse("bargaining:session_edit", args=[session.pk]), SESSION)
    cast.campaign.refresh_from_db()
    assert cast.campaign.public_version == 2


def thread_data(campaign, demand=None, **extra):
    article = bf.make_article(campaign, number="12", title="Class size")
    data = {
        "thread-article": article.pk,
        "thread-topic": "",
        "version-side": "union",
        "version-passed_on": "2026-09-10",
        "version-status": "open",
        "version-text": "No class over 24 students.",
    }
    if demand is not None:
        data["thread-demands"] = [demand.pk]
    data.update(extra)
    return data


def test_leader_opens_a_proposal_thread_with_its_first_version(cast):
    demand = bf.make_demand(cast.campaign)
    client = cast.client_for("leader")
    response = client.post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, demand),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert list(proposal.demands.all()) == [demand]
    version = proposal.versions.get()
    assert (version.number, version.side, version.is_published) == (1, "union", False)


def test_a_demand_of_another_campaign_is_refused_and_nothing_is_saved(cast):
    other = f.make_campaign(cast.local, name="Another campaign")
    foreign = bf.make_demand(other, title="Housing for unhoused students")
    client = cast.client_for("leader")
    response = client.post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, foreign),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "is a demand of another campaign (Another campaign)" in body
    assert not Proposal.objects.exists()
    assert not ProposalVersion.objects.exists()


def test_a_demand_of_another_local_is_not_even_a_choice(cast):
    foreign = bf.make_demand(f.make_campaign(cast.other_local))
    response = cast.client_for("leader").post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, foreign),
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_bad_first_version_saves_no_thread(cast):
    response = cast.client_for("leader").post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, **{"version-text": ""}),
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_thread_needs_an_article_or_a_topic(cast):
    response = cast.client_for("leader").post(
        reverse("bargaining:proposal_new", args=[cast.campaign.slug]),
        thread_data(cast.campaign, **{"thread-article": ""}),
    )
    assert "Choose a contract article or name a topic." in response.content.decode()
    assert not Proposal.objects.exists()


def test_counterproposals_take_the_next_number_and_lead_to_the_preview(cast):
    proposal = bf.make_proposal(cast.campaign)
    bf.make_version(proposal, published=False)
    session = bf.make_session(cast.campaign)
    response = cast.client_for("leader").post(
        reverse("bargaining:version_new", args=[proposal.pk]),
        {
            "side": "employer",
            "passed_on": "2026-09-24",
            "session": session.pk,
            "status": "open",
            "text": "No class over 30 students.",
        },
    )
    version = proposal.versions.get(number=2)
    assert response["Location"] == reverse("bargaining:preview", args=["version", version.pk])
    assert version.kind_label == "Counterproposal"
    assert version.session == session


def test_a_session_of_another_campaign_cannot_be_chosen(cast):
    proposal = bf.make_proposal(cast.campaign)
    foreign_session = bf.make_session(f.make_campaign(cast.local))
    response = cast.client_for("leader").post(
        reverse("bargaining:version_new", args=[proposal.pk]),
        {
            "side": "employer",
            "passed_on": "2026-09-24",
            "session": foreign_session.pk,
            "status": "open",
            "text": "x",
        },
    )
    assert response.status_code == 400
    assert not proposal.versions.exists()


def test_two_versions_side_by_side_mark_changes_and_escape_text(cast):
    proposal = bf.make_proposal(cast.campaign)
    bf.make_version(proposal, text="No class over 24 students <b>ever</b>.")
    bf.make_version(proposal, side="employer", text="No class over 30 students <b>ever</b>.")
    response = cast.client_for("leader").get(
        reverse("bargaining:compare", args=[proposal.pk]), {"a": 1, "b": 2}
    )
    body = response.content.decode()
    # Each marked word keeps the space after it, as in a demand's history.
    assert "<del>24 </del>" in body
    assert "<ins>30 </ins>" in body
    assert "&lt;b&gt;ever&lt;/b&gt;" in body
    assert "<b>ever</b>" not in body


def test_comparing_a_missing_version_explains(cast):
    proposal = bf.make_proposal(cast.campaign)
    bf.make_version(proposal)
    response = cast.client_for("leader").get(
        reverse("bargaining:compare", args=[proposal.pk]), {"a": 1, "b": 9}, follow=True
    )
    assert "Choose two versions of this proposal to compare." in response.content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_session_and_campaign_pages_take_constant_queries(cast, django_assert_num_queries, size):
    bf.make_open_campaign(cast.campaign, size)
    session = Session.objects.first()
    proposal = Proposal.objects.first()
    client = cast.client_for("leader")
    client.get("/")  # warm the session
    expected = {"campaign": 15, "session": 6, "proposal": 8}
    with django_assert_num_queries(expected["campaign"]):
        client.get(reverse("bargaining:campaign", args=[cast.campaign.slug]))
    with django_assert_num_queries(expected["session"]):
        client.get(reverse("bargaining:session", args=[session.pk]))
    with django_assert_num_queries(expected["proposal"]):
        client.get(reverse("bargaining:proposal", args=[proposal.pk]))


def test_the_campaign_page_pages_its_sessions(cast):
    for n in range(27):
        bf.make_session(cast.campaign, offset_days=n, published=False)
    client = cast.client_for("leader")
    url = reverse("bargaining:campaign", args=[cast.campaign.slug])
    first = client.get(url).content.decode()
    assert first.count("/bargaining/sessions/") == 25
    assert "?page=2" in first
    assert client.get(url + "?page=2").content.decode().count("/bargaining/sessions/") == 2
