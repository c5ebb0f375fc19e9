"""Campaign web addresses never collide with the app's fixed pages."""

import pytest
from django.urls import resolve, reverse

from campaigns.models import Campaign
from campaigns.slugs import reserved_slugs, suggest_slug


def test_reserved_words_are_read_from_the_urlconf():
    reserved = reserved_slugs()
    for word in ["new", "buildings", "members", "my-buildings", "milestones", "teams", "tasks"]:
        assert word in reserved  # /campaigns/<word>/
    for word in ["sessions", "proposals", "versions", "agreements", "events"]:
        assert word in reserved  # /bargaining/<word>/
    assert {"invitations", "membership"} <= reserved  # /team/<word>/ beside a local's slug
    assert "twin-rivers" not in reserved


def test_every_reserved_word_really_is_a_fixed_page():
    """A word is reserved only where a fixed route would win over the campaign's page."""
    for word in ["new", "buildings", "members", "my-buildings"]:
        assert resolve(f"/campaigns/{word}/").url_name != "detail"


def _create(client, local, slug, name="Schools we deserve"):
    return client.post(
        reverse("campaigns:create"),
        {"local": local.pk, "name": name, "slug": slug, "bargaining_target_date": "2029-01-01"},
    )


@pytest.mark.parametrize("slug", ["new", "members", "my-buildings", "sessions", "NEW"])
def test_a_colliding_slug_is_refused_with_a_clear_message(cast, slug):
    response = _create(cast.client_for("leader"), cast.local, slug)
    assert response.status_code == 200
    assert "is already a page of the app" in response.text
    assert not Campaign.objects.filter(name="Schools we deserve").exists()


def test_an_empty_slug_is_made_from_the_name_skipping_reserved_words(cast):
    response = _create(cast.client_for("leader"), cast.local, "", name="New")
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="New")
    assert campaign.slug == "new-2"
    assert cast.client_for("leader").get(campaign.get_absolute_url()).status_code == 200


def test_the_suggested_slug_skips_reserved_and_taken_ones(cast):
    response = cast.client_for("leader").get(reverse("campaigns:create"), {"name": "Members"})
    assert 'value="members-2"' in response.text
    assert suggest_slug("Members", taken={"members-2"}) == "members-3"
    assert suggest_slug("Schools We Deserve", taken=set()) == "schools-we-deserve"
