"""The public tracker at any size: grouped by status with counts, the first few of each status
on the page and the rest on the demands page, paged and filtered by status or words through
the query string, each filtered page cached under its own key."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from bargaining.public import TRACKER_PAGE, TRACKER_PREVIEW
from demands.models import Demand

from . import factories as bf

pytestmark = pytest.mark.django_db


def page_url(campaign) -> str:
    return reverse("open:campaign", args=[campaign.slug]) + "?lang=en"


def demands_url(campaign, query: str = "") -> str:
    return reverse("open:demands", args=[campaign.slug]) + "?lang=en" + query


def titles_on(body: str, demands) -> list[str]:
    return [demand.title for demand in demands if f">{demand.title}<" in body]


def test_the_page_groups_demands_by_status_with_counts_and_links_to_the_rest(cast, client):
    bf.make_public_page(cast.campaign)
    proposed = [bf.make_demand(cast.campaign, title=f"Proposed {n:02}") for n in range(12)]
    won = bf.make_demand(cast.campaign, title="Nurses in every school", status="won")
    body = client.get(page_url(cast.campaign)).content.decode()
    assert 'Proposed at the table <span class="meta">· 12 demands</span>' in body
    assert 'Won <span class="meta">· 1 demand</span>' in body
    assert titles_on(body, proposed) == [d.title for d in proposed[:TRACKER_PREVIEW]]
    assert won.title in body
    assert "See all 12 demands: Proposed at the table" in body
    assert demands_url(cast.campaign, "&amp;status=proposed").replace("&lang", "&amp;lang") in body
    assert "See all 1 demand" not in body


def test_the_demands_page_lists_one_status_a_page_at_a_time(cast, client):
    bf.make_public_page(cast.campaign)
    proposed = [bf.make_demand(cast.campaign, title=f"Proposed {n:02}") for n in range(30)]
    adopted = bf.make_demand(cast.campaign, title="Ethnic studies", status="adopted")
    first = client.get(demands_url(cast.campaign, "&status=proposed")).content.decode()
    assert titles_on(first, proposed) == [d.title for d in proposed[:TRACKER_PAGE]]
    assert adopted.title not in first
    assert "30 demands match." in first
    assert "Page 1 of 2" in first
    assert "status=proposed&amp;page=2" in first
    second = client.get(demands_url(cast.campaign, "&status=proposed&page=2")).content.decode()
    assert titles_on(second, proposed) == [d.title for d in proposed[TRACKER_PAGE:]]
    # The caption counts the whole status, not only the rows of this page.
    assert 'Proposed at the table <span class="meta">· 30 demands</span>' in second


def test_words_find_demands_by_their_public_title_or_summary(cast, client):
    bf.make_public_page(cast.campaign)
    nurses = bf.make_demand(cast.campaign, title="A nurse in every school")
    housing = bf.make_demand(cast.campaign, title="Housing", summary="Homes for unhoused NURSES")
    other = bf.make_demand(cast.campaign, title="Smaller classes")
    body = client.get(demands_url(cast.campaign, "&q=nurse")).content.decode()
    assert titles_on(body, [nurses, housing, other]) == [nurses.title, housing.title]
    assert "2 demands match." in body
    assert 'value="nurse"' in body
    nothing = client.get(demands_url(cast.campaign, "&q=strike&status=won")).content.decode()
    assert "No published demand matches." in nothing


def test_an_unpublished_demand_is_never_found(cast, client):
    bf.make_public_page(cast.campaign)
    bf.make_demand(cast.campaign, title="Secret plan", published=False)
    body = client.get(demands_url(cast.campaign, "&q=secret")).content.decode()
    assert "Secret plan" not in body
    assert "No published demand matches." in body


def test_a_status_that_does_not_exist_shows_every_demand(cast, client):
    bf.make_public_page(cast.campaign)
    demand = bf.make_demand(cast.campaign, title="Counselors", status="adopted")
    response = client.get(demands_url(cast.campaign, "&status=<script>"))
    assert response.status_code == 200
    assert demand.title in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_each_filter_is_cached_apart_and_a_publish_shows_at_once(cast, client):
    bf.make_public_page(cast.campaign)
    bf.make_demand(cast.campaign, title="Nurses", status="won")
    draft = bf.make_demand(cast.campaign, title="Nurses for night classes", published=False)
    assert (
        "1 demand matches." in client.get(demands_url(cast.campaign, "&q=nurses")).content.decode()
    )
    won = client.get(demands_url(cast.campaign, "&status=won")).content.decode()
    assert "Nurses" in won
    draft.publish(by=cast.leader)
    assert (
        "2 demands match." in client.get(demands_url(cast.campaign, "&q=nurses")).content.decode()
    )


def test_a_cached_demands_page_answers_without_the_database(
    cast, client, django_assert_num_queries
):
    bf.make_public_page(cast.campaign)
    bf.make_demand(cast.campaign)
    client.get(demands_url(cast.campaign, "&q=demand"))
    with django_assert_num_queries(0):
        assert client.get(demands_url(cast.campaign, "&q=demand")).status_code == 200


def test_an_unknown_or_switched_off_campaign_has_no_demands_page(cast, client):
    assert client.get(reverse("open:demands", args=["nowhere"])).status_code == 404
    bf.make_public_page(cast.campaign, is_on=False)
    bf.make_demand(cast.campaign)
    assert client.get(demands_url(cast.campaign)).status_code == 404


@pytest.mark.parametrize("size", [3, 40])
def test_the_pages_take_constant_queries_and_stay_bounded(
    cast, client, django_assert_num_queries, size
):
    bf.make_open_campaign(cast.campaign, size)
    cache.clear()
    # Ten for the page, one for the published petitions and one for the published
    # commitments of what was won.
    with django_assert_num_queries(12):
        main = client.get(page_url(cast.campaign)).content.decode()
    assert main.count('<tr id="demand-') == min(size, TRACKER_PREVIEW)
    cache.clear()
    with django_assert_num_queries(11):
        listed = client.get(demands_url(cast.campaign)).content.decode()
    assert listed.count('<tr id="demand-') == min(size, TRACKER_PAGE)
    assert Demand.objects.published().count() == size
