"""A published demand's text changes for the public only when a leader publishes the change:
co-authors' edits wait, the leader sees that the public reads an older version, previews the
change word by word and publishes it. The publish message says only what is true."""

import pytest
from django.urls import reverse

from bargaining.models import PublicPage
from demands.models import Demand

from ..bargaining import factories as bf
from .factories import make_demand
from .test_views import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast):
    bf.make_public_page(cast.campaign)
    demand = make_demand(
        cast.campaign,
        by=cast.leader,
        coauthors=[cast.organisation_x],
        summary="A nurse at every school, every day.",
    )
    demand.publish(by=cast.leader)
    return demand


def public_page(client, demand) -> str:
    url = reverse("open:campaign", args=[demand.campaign.slug]) + "?lang=en"
    return client.get(url).content.decode()


def test_a_coauthors_edit_does_not_go_public_by_itself(cast, client, published):
    assert "A nurse at every school, every day." in public_page(client, published)
    response = cast.client_for("partner_x").post(
        reverse("demands:edit", args=[published.pk]),
        edit_data(published, summary="A full-time nurse at every school."),
    )
    assert response.status_code == 302
    body = public_page(client, published)
    assert "A nurse at every school, every day." in body
    assert "A full-time nurse at every school." not in body
    published.refresh_from_db()
    assert published.summary == "A full-time nurse at every school."
    assert published.published_revision.number == 1


def test_the_leader_sees_the_public_reads_an_older_version_and_publishes_the_change(
    cast, client, published
):
    leader = cast.client_for("leader")
    detail = leader.get(reverse("demands:detail", args=[published.pk])).content.decode()
    assert "The public sees an older version" not in detail

    cast.client_for("partner_x").post(
        reverse("demands:edit", args=[published.pk]),
        edit_data(published, summary="A full-time nurse at every school."),
    )
    detail = leader.get(reverse("demands:detail", args=[published.pk])).content.decode()
    assert "The public sees an older version of this demand." in detail
    preview_url = reverse("demands:publish", args=[published.pk])
    assert f'href="{preview_url}"' in detail.split('id="public-behind"')[1].split("</p>")[0]

    preview = leader.get(preview_url).content.decode()
    assert "What changes for the public" in preview
    # A word diff against what the public sees.
    assert "<del>" in preview and "<ins>" in preview
    assert "full-time" in preview.split("<ins>", 1)[1]

    response = leader.post(preview_url, follow=True)
    assert "Published: the public page now shows this version." in response.content.decode()
    body = public_page(client, published)
    assert "A full-time nurse at every school." in body
    assert "A nurse at every school, every day." not in body
    detail = leader.get(reverse("demands:detail", args=[published.pk])).content.decode()
    assert "The public sees an older version" not in detail


def test_an_edit_of_fields_the_public_never_sees_does_not_say_it_is_behind(cast, published):
    cast.client_for("partner_x").post(
        reverse("demands:edit", args=[published.pk]),
        edit_data(published, reia_history="Nurses were cut in 2011."),
    )
    detail = (
        cast.client_for("leader")
        .get(reverse("demands:detail", args=[published.pk]))
        .content.decode()
    )
    assert "The public sees an older version" not in detail


def test_a_demand_published_before_revisions_keeps_its_public_text_on_edit(cast, client):
    bf.make_public_page(cast.campaign)
    demand = bf.make_demand(cast.campaign, title="Ethnic studies", summary="In every high school.")
    demand.edit(
        changes={"summary": "In every high school, from 2027."},
        by=cast.partner_x,
        expected_version=demand.version,
    )
    body = public_page(client, demand)
    assert "In every high school." in body
    assert "from 2027" not in body


def test_publishing_says_the_page_shows_it_only_when_the_page_is_on(cast, client):
    bf.make_public_page(cast.campaign, is_on=False)
    demand = make_demand(cast.campaign, by=cast.leader, title="Restorative justice")
    leader = cast.client_for("leader")
    preview = leader.get(reverse("demands:publish", args=[demand.pk])).content.decode()
    assert "public page is off" in preview
    response = leader.post(reverse("demands:publish", args=[demand.pk]), follow=True)
    body = response.content.decode()
    assert "the public page now shows this" not in body
    assert "nobody outside sees this demand until a leader turns the page on" in body
    assert Demand.objects.get(pk=demand.pk).is_published

    PublicPage.objects.filter(campaign=cast.campaign).update(is_on=True)
    other = make_demand(cast.campaign, by=cast.leader, title="Counselors")
    response = leader.post(reverse("demands:publish", args=[other.pk]), follow=True)
    assert "Published: the public page now shows this demand." in response.content.decode()


def test_publishing_a_bargaining_item_says_the_page_shows_it_only_when_the_page_is_on(cast):
    bf.make_public_page(cast.campaign, is_on=False)
    session = bf.make_session(cast.campaign, published=False)
    response = cast.client_for("leader").post(
        reverse("bargaining:publish", args=["session", session.pk]),
        {"action": "publish"},
        follow=True,
    )
    body = response.content.decode()
    assert "The public page shows it now." not in body
    assert "nobody outside sees it until a leader turns the page on" in body
