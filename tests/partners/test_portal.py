"""The partner portal at any size: invitations first, the shared demands grouped by status
with counts, filtered by status or words and paged, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bargaining.portal import DEMANDS_PAGE
from demands.models import Demand
from tests.actions import factories as af
from tests.demands.factories import make_demand

pytestmark = pytest.mark.django_db

PORTAL = reverse("partners:portal")


def portal(cast, query: str = "", who: str = "partner_x") -> str:
    return cast.client_for(who).get(PORTAL + query).content.decode()


def shared(cast, n: int, *, status: str = "draft", prefix: str = "Demand") -> list[Demand]:
    demands = []
    for i in range(n):
        demand = make_demand(
            cast.campaign, title=f"{prefix} {i:02}", shared_with=[cast.organisation_x]
        )
        demand.status = status
        demand.save(update_fields=["status"])
        demands.append(demand)
    return demands


def test_the_invitations_come_before_the_demands(cast):
    action = af.make_action(cast.campaign, title="Packed board meeting")
    action.invited_organisations.add(cast.organisation_x)
    shared(cast, 30)
    page = portal(cast)
    assert page.index("Packed board meeting") < page.index("Demand 00")
    assert page.index('id="portal-actions"') < page.index('id="portal-demands"')


def test_the_demands_are_grouped_by_status_with_counts_and_paged(cast):
    drafts = shared(cast, DEMANDS_PAGE + 5)
    won = shared(cast, 2, status="won", prefix="Won")
    make_demand(cast.campaign, title="Only Y", shared_with=[cast.organisation_y])
    first = portal(cast)
    assert 'Draft <span class="meta">· 25 demands</span>' in first
    assert '<strong>25</strong><span><a href="?status=draft#portal-demands"' in first
    assert '<strong>2</strong><span><a href="?status=won#portal-demands"' in first
    assert all(d.title in first for d in drafts[:DEMANDS_PAGE])
    assert drafts[DEMANDS_PAGE].title not in first
    assert "Only Y" not in first
    assert "Page 1 of 2" in first
    second = portal(cast, "?page=2")
    assert all(d.title in second for d in drafts[DEMANDS_PAGE:] + won)
    # Drafts come before outcomes, whatever the alphabet says.
    assert second.index("Draft <span") < second.index("Won <span")


def test_a_partner_filters_the_demands_by_status_and_words(cast):
    shared(cast, 3)
    nurses = make_demand(
        cast.campaign, title="Nurses in every school", shared_with=[cast.organisation_x]
    )
    counselors = make_demand(
        cast.campaign, title="Counselors in every school", coauthors=[cast.organisation_x]
    )
    page = portal(cast, "?q=every+school")
    assert nurses.title in page and counselors.title in page and "Demand 00" not in page
    assert "2 demands match." in page
    assert "you co-author it" in page and "shared with you for review" in page
    only = portal(cast, "?q=nurses&status=draft")
    assert nurses.title in only and counselors.title not in only
    nothing = portal(cast, "?status=won")
    assert "No demand matches." in nothing
    assert portal(cast, "?status=nonsense").count("Demand 0") == 3


def test_a_partner_with_nothing_shared_sees_empty_states(cast):
    page = portal(cast)
    assert "No demand has been shared with your organisation yet." in page
    assert "No invitations to actions yet." in page
    assert 'role="search"' not in page


@pytest.mark.parametrize("who,status", [("leader", 403), ("steward_a", 403), ("anonymous", 302)])
def test_the_portal_is_for_partner_people_only(cast, who, status):
    assert cast.client_for(who).get(PORTAL + "?q=x&status=draft").status_code == status


def test_the_portal_takes_constant_queries_with_a_filter(cast):
    def count() -> int:
        client = cast.client_for("partner_x")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PORTAL + "?q=demand&page=2").status_code == 200
        return len(ctx)

    shared(cast, 3)
    small = count()
    shared(cast, 60, prefix="More demand")
    assert count() == small
