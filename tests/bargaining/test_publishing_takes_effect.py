"""Publishing, unpublishing and editing anything public changes every public output at once:
the page (and its cached copy), the feed, the calendar and their ETags, and the PDF report,
which is never served from before the change."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from bargaining.models import PublishedReport
from bargaining.report import stale_public_reports, store_public_reports
from bargaining.tasks import render_stale_public_reports
from campaigns.models import Campaign

from ..actions import factories as af
from . import factories as bf

pytestmark = pytest.mark.django_db


def fresh(campaign):
    return Campaign.objects.select_related("public_page", "local").get(pk=campaign.pk)


def page(client, campaign, **headers):
    return client.get(reverse("open:campaign", args=[campaign.slug]) + "?lang=en", **headers)


def feed(client, campaign, **headers):
    return client.get(reverse("open:feed", args=[campaign.slug]) + "?lang=en", **headers)


def calendar(client, campaign, **headers):
    return client.get(reverse("open:calendar", args=[campaign.slug]) + "?lang=en", **headers)


def pdf_text(client, campaign) -> str:
    response = client.get(reverse("open:report", args=[campaign.slug]) + "?lang=en")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_a_new_demand_is_on_the_page_and_in_the_report_at_once(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, published=False, title="Nurses in every school")
    store_public_reports(fresh(campaign))
    before = page(client, campaign)
    assert "Nurses in every school" not in before.content.decode()

    response = cast.client_for("leader").post(reverse("demands:publish", args=[demand.pk]))
    assert response.status_code == 302

    after = page(client, campaign)
    assert "Nurses in every school" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert "Nurses in every school" in pdf_text(client, campaign)


def test_an_unpublished_demand_leaves_the_page_its_cached_copy_and_the_report(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Housing for unhoused students")
    store_public_reports(fresh(campaign))
    cached = page(client, campaign)
    assert "Housing for unhoused students" in cached.content.decode()
    assert "Housing for unhoused students" in pdf_text(client, campaign)

    cast.client_for("leader").post(reverse("demands:unpublish", args=[demand.pk]))

    # The same browser asking with its copy's ETag gets the new page, not "not modified".
    again = page(client, campaign, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert again.status_code == 200
    assert "Housing for unhoused students" not in again.content.decode()
    gzipped = page(client, campaign, HTTP_ACCEPT_ENCODING="gzip")
    import gzip

    assert b"Housing for unhoused students" not in gzip.decompress(gzipped.content)
    assert "Housing for unhoused students" not in pdf_text(client, campaign)


def test_an_unpublished_session_leaves_the_page_feed_calendar_and_report(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    session = bf.make_session(campaign, public_summary="Walkthrough of the class size caps")
    store_public_reports(fresh(campaign))
    outputs = {"page": page, "feed": feed, "calendar": calendar}
    before = {name: get(client, campaign) for name, get in outputs.items()}
    assert all(r.status_code == 200 for r in before.values())
    assert "Walkthrough of the class size caps" in before["page"].content.decode()
    assert "Walkthrough of the class size caps" in before["feed"].content.decode()
    # iCalendar folds long lines; read it unfolded, as a calendar program does.
    unfolded = before["calendar"].content.decode().replace("\r\n ", "")
    assert "Walkthrough of the class size caps" in unfolded
    for name in ("feed", "calendar"):
        assert before[name]["Cache-Control"] == "public, no-cache"
        etag = before[name]["ETag"]
        assert outputs[name](client, campaign, HTTP_IF_NONE_MATCH=etag).status_code == 304

    cast.client_for("leader").post(
        reverse("bargaining:publish", args=["session", session.pk]), {"action": "unpublish"}
    )

    for name, get in outputs.items():
        response = get(client, campaign, HTTP_IF_NONE_MATCH=before[name]["ETag"])
        assert response.status_code == 200, name
        assert response["ETag"] != before[name]["ETag"], name
        assert "Walkthrough of the class size caps" not in response.content.decode(), name
    assert "Walkthrough of the class size caps" not in pdf_text(client, campaign)


def test_an_action_that_stops_being_public_leaves_the_page_and_calendar(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    action = af.make_action(campaign, days=3, is_public=True, title="Rally at the board")
    assert "Rally at the board" in page(client, campaign).content.decode()
    assert "Rally at the board" in calendar(client, campaign).content.decode()
    with transaction.atomic():
        was_public = action.is_public
        action.is_public = False
        action.save()
        action.public_changed(was_public=was_public)
    assert "Rally at the board" not in page(client, campaign).content.decode()
    assert "Rally at the board" not in calendar(client, campaign).content.decode()


def test_cancelling_a_public_action_takes_it_off_the_page(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    action = af.make_action(campaign, days=3, is_public=True, title="Picket at the district office")
    assert "Picket at the district office" in page(client, campaign).content.decode()
    action.cancel(by=cast.leader)
    assert "Picket at the district office" not in page(client, campaign).content.decode()
    assert "Picket at the district office" not in calendar(client, campaign).content.decode()


def test_publishing_moves_the_version_in_the_same_transaction(cast):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, published=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        demand.publish(by=cast.leader)
        raise RuntimeError("the publish is rolled back")
    campaign.refresh_from_db()
    assert campaign.public_version == 1
    demand.publish(by=cast.leader)
    campaign.refresh_from_db()
    assert campaign.public_version == 2
    demand.unpublish(by=cast.leader)
    campaign.refresh_from_db()
    assert campaign.public_version == 3


def test_a_status_change_of_a_published_demand_changes_the_page(cast, client):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Ethnic studies", status="adopted")
    assert "Adopted" in page(client, campaign).content.decode()
    demand.move_to("withdrawn", by=cast.leader, why="Folded into the curriculum demand.")
    body = page(client, campaign).content.decode()
    row = body.split("Ethnic studies")[1].split("</tr>")[0]
    assert "Withdrawn" in row


def test_the_report_is_rendered_after_the_commit(cast, django_capture_on_commit_callbacks):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, published=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demand.publish(by=cast.leader)
    assert callbacks
    assert sorted(PublishedReport.objects.values_list("language", "page_version")) == [
        ("en", 2),
        ("es", 2),
    ]


def test_a_publish_while_the_broker_is_down_still_succeeds_and_the_beat_catches_up(
    cast, django_capture_on_commit_callbacks
):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    store_public_reports(fresh(campaign))
    demand = bf.make_demand(campaign, published=False)
    down = mock.patch(
        "bargaining.tasks.render_public_reports.apply_async", side_effect=OSError("broker down")
    )
    with down, django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("leader").post(reverse("demands:publish", args=[demand.pk]))
    assert response.status_code == 302
    assert stale_public_reports() == [campaign.pk]
    render_stale_public_reports()
    assert stale_public_reports() == []
    assert set(PublishedReport.objects.values_list("page_version", flat=True)) == {2}


def test_the_catch_up_job_is_scheduled_every_minute(settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "bargaining.tasks.render_stale_public_reports"
    ]
    assert entries and entries[0]["schedule"] <= 60


def test_a_version_read_by_another_process_before_the_commit_is_replaced_at_commit(
    cast, client, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from campaigns.models import _public_version_key

    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Libraries open after school")
    assert "Libraries open after school" in page(client, campaign).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        demand.unpublish(by=cast.leader)
        # Another process reads the version before this commits, and shares the old one.
        assert cache.add(_public_version_key(campaign.slug), 1)
    assert cache.get(_public_version_key(campaign.slug)) == 2
    assert "Libraries open after school" not in page(client, campaign).content.decode()


def test_with_a_per_process_cache_the_version_is_read_from_the_database(cast, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Libraries open after school")
    assert "Libraries open after school" in page(client, campaign).content.decode()
    # Another process unpublishes: nothing in this process's cache hears of it.
    type(demand).objects.filter(pk=demand.pk).update(published_at=None)
    Campaign.objects.filter(pk=campaign.pk).update(public_version=2)
    assert "Libraries open after school" not in page(client, campaign).content.decode()
