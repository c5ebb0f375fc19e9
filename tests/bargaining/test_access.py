"""Only leaders of the campaign's local reach the bargaining pages; everyone reaches /open/."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

from . import factories as bf

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 403,
    "steward_b": 403,
    "partner_x": 403,
    "partner_y": 403,
    "other_leader": 404,
}


def internal_urls(cast):
    campaign = cast.campaign
    session = bf.make_session(campaign)
    proposal = bf.make_proposal(campaign)
    version = bf.make_version(proposal)
    bf.make_version(proposal, side="employer")
    agreement = bf.make_agreement(campaign)
    event = bf.make_event(campaign)
    slug = campaign.slug
    return [
        reverse("bargaining:campaign", args=[slug]),
        reverse("bargaining:session_new", args=[slug]),
        reverse("bargaining:session", args=[session.pk]),
        reverse("bargaining:session_edit", args=[session.pk]),
        reverse("bargaining:articles", args=[slug]),
        reverse("bargaining:proposal_new", args=[slug]),
        reverse("bargaining:proposal", args=[proposal.pk]),
        reverse("bargaining:proposal_edit", args=[proposal.pk]),
        reverse("bargaining:version_new", args=[proposal.pk]),
        reverse("bargaining:version_edit", args=[version.pk]),
        reverse("bargaining:compare", args=[proposal.pk]) + "?a=1&b=2",
        reverse("bargaining:agreement_new", args=[slug]),
        reverse("bargaining:agreement_edit", args=[agreement.pk]),
        reverse("bargaining:event_new", args=[slug]),
        reverse("bargaining:event_edit", args=[event.pk]),
        reverse("bargaining:preview", args=["session", session.pk]),
        reverse("bargaining:preview", args=["version", version.pk]),
        reverse("bargaining:preview", args=["agreement", agreement.pk]),
        reverse("bargaining:preview", args=["event", event.pk]),
        reverse("bargaining:public_page", args=[slug]),
        reverse("bargaining:public_preview", args=[slug]),
    ]


@pytest.mark.parametrize("who", ROLES)
def test_each_role_gets_the_bargaining_pages_it_should(cast, who):
    client = cast.client_for(who)
    for url in internal_urls(cast):
        response = client.get(url)
        assert response.status_code == EXPECTED[who], (url, response.status_code)


@pytest.mark.parametrize("who", ROLES)
def test_only_leaders_of_the_local_can_publish(cast, who):
    session = bf.make_session(cast.campaign, published=False)
    response = cast.client_for(who).post(
        reverse("bargaining:publish", args=["session", session.pk]), {"action": "publish"}
    )
    session.refresh_from_db()
    assert response.status_code == (302 if who == "leader" else EXPECTED[who])
    assert session.is_published == (who == "leader")


@pytest.mark.parametrize("who", ROLES)
def test_only_leaders_of_the_local_can_create_sessions(cast, who):
    from bargaining.models import Session

    response = cast.client_for(who).post(
        reverse("bargaining:session_new", args=[cast.campaign.slug]),
        {
            "starts_at": "2026-10-01T16:30",
            "ends_at": "2026-10-01T19:30",
            "place": "Board room",
            "format": "open",
            "status": "scheduled",
            "member_observers": 0,
            "community_observers": 0,
        },
    )
    assert response.status_code == (302 if who == "leader" else EXPECTED[who])
    assert Session.objects.exists() == (who == "leader")


def test_stewards_and_partners_get_no_bargaining_link_in_the_navigation(cast):
    body = cast.client_for("steward_a").get("/").content.decode()
    assert "/bargaining/" not in body
    body = cast.client_for("leader").get("/").content.decode()
    assert "/bargaining/" in body


def test_a_public_page_that_is_off_is_not_found(cast):
    bf.make_public_page(cast.campaign, is_on=False)
    client = cast.client_for("anonymous")
    for name in ("open:campaign", "open:report", "open:feed", "open:calendar"):
        assert client.get(reverse(name, args=[cast.campaign.slug])).status_code == 404, name
    assert cast.campaign.name not in client.get(reverse("open:index")).content.decode()
