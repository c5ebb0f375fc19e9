"""The public page, its cache, publishing and unpublishing, the feed and the calendar."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from actions.models import Action
from bargaining.models import PublicPage, PublishedReport
from bargaining.public import page_cache_key

from . import factories as bf

pytestmark = pytest.mark.django_db


def page_url(campaign, lang="en"):
    return reverse("open:campaign", args=[campaign.slug]) + f"?lang={lang}"


def test_the_public_page_shows_published_items_in_english_and_spanish(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Smaller classes")
    session = bf.make_session(campaign)
    proposal = bf.make_proposal(campaign, demands=[demand])
    bf.make_version(proposal, session=session, text="No class over 24.", text_es="Máximo 24.")
    bf.make_agreement(campaign)
    bf.make_event(campaign)
    english = client.get(page_url(campaign)).content.decode()
    assert "Smaller classes" in english
    assert "No class over 24." in english
    assert "Public summary" in english
    assert "Members ratify" in english
    assert "90% yes (900 yes, 100 no)" in english
    assert "We bargain in the open." in english
    assert '<html lang="en">' in english
    assert "Union · Proposal" in english
    spanish = client.get(page_url(campaign, "es")).content.decode()
    assert '<html lang="es">' in spanish
    assert "Máximo 24." in spanish
    assert "Resumen público" in spanish
    assert "Los miembros ratifican" in spanish
    assert "Negociamos en abierto." in spanish
    assert "Tamaño de las clases" in spanish
    assert "Descargar el informe (PDF)" in spanish


def test_the_tracker_says_where_each_demand_stands_at_the_table(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    at_table = bf.make_demand(campaign, title="Nurses in every school")
    bf.make_demand(campaign, title="Ethnic studies", status="adopted")
    proposal = bf.make_proposal(campaign, demands=[at_table], topic="Nurses", article=None)
    bf.make_version(proposal)
    bf.make_version(proposal, side="employer", status="agreed")
    bf.make_version(proposal, published=False, status="withdrawn")
    body = client.get(page_url(campaign)).content.decode()
    row = body.split("Nurses in every school")[1].split("</tr>")[0]
    assert "Employer · Counterproposal" in row
    assert "Tentatively agreed" in row
    assert "Withdrawn" not in row
    other = body.split("Ethnic studies")[1].split("</tr>")[0]
    assert "Not yet at the table" in other


def test_the_page_has_share_metadata_and_no_csrf_token(cast, client):
    bf.make_public_page(cast.campaign)
    body = client.get(page_url(cast.campaign)).content.decode()
    assert '<meta property="og:title"' in body
    assert "/static/bargaining/share.png" in body
    assert '<meta name="description" content="We bargain in the open.">' in body
    assert "csrfmiddlewaretoken" not in body
    assert "X-CSRFToken" not in body


def test_the_page_is_cached_and_a_publish_shows_at_once(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    session = bf.make_session(campaign, published=False, public_summary="Fresh summary")
    first = client.get(page_url(campaign))
    # Anyone may keep a copy, but asks again (a 304 when nothing changed) before reusing it.
    assert first["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in first["Vary"]
    campaign.refresh_from_db()
    assert cache.get(page_cache_key(campaign.slug, "en", campaign.public_version)) is not None
    assert "Fresh summary" not in first.content.decode()

    leader = cast.client_for("leader")
    with_publish = leader.post(
        reverse("bargaining:publish", args=["session", session.pk]), {"action": "publish"}
    )
    assert with_publish.status_code == 302
    assert "Fresh summary" in client.get(page_url(campaign)).content.decode()

    leader.post(
        reverse("bargaining:publish", args=["session", session.pk]), {"action": "unpublish"}
    )
    assert "Fresh summary" not in client.get(page_url(campaign)).content.decode()
    campaign.refresh_from_db()
    assert campaign.public_version == 3


def test_a_cached_page_answers_without_the_database(cast, client, django_assert_num_queries):
    bf.make_public_page(cast.campaign)
    client.get(page_url(cast.campaign))
    with django_assert_num_queries(0):
        assert client.get(page_url(cast.campaign)).status_code == 200


def test_a_repeat_visit_with_the_etag_gets_not_modified(cast, client):
    bf.make_public_page(cast.campaign)
    etag = client.get(page_url(cast.campaign))["ETag"]
    assert client.get(page_url(cast.campaign), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_turning_the_page_off_hides_it_at_once(cast, client):
    bf.make_public_page(cast.campaign)
    assert client.get(page_url(cast.campaign)).status_code == 200
    cast.client_for("leader").post(
        reverse("bargaining:public_page", args=[cast.campaign.slug]),
        {"story": "x", "story_es": ""},
    )
    assert not PublicPage.objects.get().is_on
    assert client.get(page_url(cast.campaign)).status_code == 404


@pytest.mark.parametrize("size", [3, 15])
def test_the_public_page_takes_constant_queries(cast, client, django_assert_num_queries, size):
    bf.make_open_campaign(cast.campaign, size)
    cache.clear()
    # Ten for the page, one for the published petitions and one for the published
    # commitments of what was won.
    with django_assert_num_queries(12):
        response = client.get(page_url(cast.campaign))
    assert response.status_code == 200
    shown = sum(
        client.get(page_url(cast.campaign) + f"&page={n}")
        .content.decode()
        .count('class="proposal proposal-')
        for n in range(1, (2 * size - 1) // 12 + 2)  # sessions and events, 12 a page
    )
    assert shown == 2 * size


def test_the_next_session_and_public_actions_are_shown(cast, client):
    from datetime import timedelta

    from django.utils import timezone

    campaign = cast.campaign
    bf.make_public_page(campaign)
    soon = timezone.now() + timedelta(days=3)
    bf.make_session(
        campaign,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        status="scheduled",
        place="Grant High School library",
    )
    Action.objects.create(
        campaign=campaign,
        title="Rally before the board meeting",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        is_public=True,
    )
    Action.objects.create(
        campaign=campaign,
        title="Private planning meeting",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        is_public=False,
    )
    body = client.get(page_url(campaign)).content.decode()
    next_section = body.split('id="next-heading"')[1].split("</section>")[0]
    assert "Grant High School library" in next_section
    assert "Rally before the board meeting" in body
    assert "Private planning meeting" not in body


def test_the_atom_feed_lists_published_items(cast, client):
    bf.make_public_page(cast.campaign)
    bf.make_agreement(cast.campaign, title="Class size caps")
    bf.make_agreement(cast.campaign, title="Secret draft", published=False)
    response = client.get(reverse("open:feed", args=[cast.campaign.slug]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in body and "Tentative agreement: Class size caps" in body
    assert "Secret draft" not in body
    spanish = client.get(reverse("open:feed", args=[cast.campaign.slug]) + "?lang=es")
    assert "Acuerdo tentativo: Tamaño de las clases" in spanish.content.decode()


def test_the_calendar_has_open_sessions_and_public_actions(cast, client):
    from datetime import timedelta

    campaign = cast.campaign
    bf.make_public_page(campaign)
    open_session = bf.make_session(campaign)
    bf.make_session(campaign, format="closed", offset_days=1)
    bf.make_session(campaign, published=False, offset_days=2)
    action = Action.objects.create(
        campaign=campaign,
        title="Informational picket",
        starts_at=open_session.starts_at,
        ends_at=open_session.starts_at + timedelta(hours=1),
        is_public=True,
    )
    response = client.get(reverse("open:calendar", args=[campaign.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Informational picket" in summaries
    session_event = next(e for e in events if str(e["UID"]).startswith("session-"))
    assert session_event.decoded("DTSTART") == open_session.starts_at
    assert str(session_event["LOCATION"]) == "District board room"
    assert any(str(e["UID"]).startswith(f"action-{action.pk}@") for e in events)


def test_the_public_index_lists_only_campaigns_with_a_page(cast, client):
    from tests import factories as f

    bf.make_public_page(cast.campaign)
    hidden = f.make_campaign(cast.local, name="Hidden campaign")
    bf.make_public_page(hidden, is_on=False)
    body = client.get(reverse("open:index")).content.decode()
    assert cast.campaign.name in body
    assert "Hidden campaign" not in body


def test_publishing_renders_the_report_in_the_background(cast, django_capture_on_commit_callbacks):
    bf.make_public_page(cast.campaign)
    session = bf.make_session(cast.campaign, published=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cast.client_for("leader").post(
            reverse("bargaining:publish", args=["session", session.pk]), {"action": "publish"}
        )
    assert callbacks, "the render is queued after the commit"
    reports = PublishedReport.objects.filter(campaign=cast.campaign)
    assert sorted(r.language for r in reports) == ["en", "es"]
    assert all(r.page_version == 2 and r.pages >= 4 for r in reports)


def test_preview_shows_exactly_the_public_fragment_in_both_languages(cast):
    version_proposal = bf.make_proposal(cast.campaign)
    version = bf.make_version(
        version_proposal, published=False, text="Caps of 24.", text_es="Límites de 24."
    )
    body = (
        cast.client_for("leader")
        .get(reverse("bargaining:preview", args=["version", version.pk]))
        .content.decode()
    )
    assert "Caps of 24." in body and "Límites de 24." in body
    assert "Nothing of this is public yet." in body
    assert 'value="publish"' in body


def test_the_timeline_is_paged_newest_first(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    for n in range(14):
        bf.make_session(campaign, offset_days=n, public_summary=f"Summary number {n:02d}.")
    first = client.get(page_url(campaign)).content.decode()
    assert first.index("Summary number 13.") < first.index("Summary number 12.")
    assert "Summary number 01." not in first
    assert "?lang=en&amp;page=2#timeline-heading" in first
    second = client.get(page_url(campaign) + "&page=2").content.decode()
    assert "Summary number 01." in second and "Summary number 13." not in second
    assert client.get(page_url(campaign) + "&page=x").status_code == 200


def test_the_page_is_served_gzipped_to_clients_that_accept_it(cast, client):
    import gzip

    bf.make_public_page(cast.campaign)
    plain = client.get(page_url(cast.campaign))
    packed = client.get(page_url(cast.campaign), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]


def test_unpublishing_a_version_from_its_thread_swaps_the_card_with_htmx(cast, client):
    bf.make_public_page(cast.campaign)
    proposal = bf.make_proposal(cast.campaign)
    version = bf.make_version(proposal, text="Caps of 24.")
    leader = cast.client_for("leader")
    thread = leader.get(reverse("bargaining:proposal", args=[proposal.pk])).content.decode()
    assert 'data-hx-post="/bargaining/version/' in thread
    assert "Caps of 24." in client.get(page_url(cast.campaign)).content.decode()
    response = leader.post(
        reverse("bargaining:publish", args=["version", version.pk]),
        {"action": "unpublish"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<li") and 'data-announce="Taken off the public page."' in body
    assert "<html" not in body
    version.refresh_from_db()
    assert not version.is_published
    assert "Caps of 24." not in client.get(page_url(cast.campaign)).content.decode()
    # Without JavaScript the same form posts and redirects back to the thread.
    version.publish(by=cast.leader)
    response = leader.post(
        reverse("bargaining:publish", args=["version", version.pk]),
        {"action": "unpublish", "next": version.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == version.get_absolute_url()


def test_the_next_public_actions_link_to_their_rsvp_form(cast, client):
    from tests.actions import factories as af

    bf.make_public_page(cast.campaign)
    action = af.make_action(cast.campaign, is_public=True, title="Rally before school")
    page = client.get(page_url(cast.campaign)).content.decode()
    assert reverse("actions:rsvp", args=[action.pk]) in page
    assert client.get(reverse("actions:rsvp", args=[action.pk])).status_code == 200
