"""Field mode on the server: the phone's page list, the sync that applies each queued change
exactly once by its key, refusals with their reasons, two stewards' 1-on-1s about one member,
and the ways the server tells a phone to forget."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import forget_roles
from accounts.models import Membership
from campaigns.models import Conversation, FieldChange, Member, TenMinuteMeeting

from .. import factories as f
from .factories import make_test

EVENING = datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
SYNC = "campaigns:field_sync"


def local_today(cast):
    """The day at the cast's local: after 16:00 in Los Angeles, UTC is already tomorrow."""
    return timezone.localdate(timezone=ZoneInfo(cast.local.timezone))


def change(kind: str, building, member=None, **extra) -> dict:
    body = {
        "key": str(uuid.uuid4()),
        "kind": kind,
        "building": building.pk,
        "recorded_at": timezone.now().isoformat(),
        **extra,
    }
    if member is not None:
        body["member"] = member.pk
    return body


def conversation(building, member, **data) -> dict:
    return change(
        "conversation",
        building,
        member,
        data={
            "held_on": timezone.localdate(timezone=ZoneInfo(building.local.timezone)).isoformat(),
            "outcome": "committed",
            **data,
        },
    )


def sync(client, changes: list[dict]):
    return client.post(reverse(SYNC), {"changes": json.dumps(changes)})


@pytest.fixture
def steward_a(cast):
    return cast.client_for("steward_a")


def test_a_change_sent_twice_is_applied_once(cast, steward_a):
    member = f.make_member(cast.building_a)
    queued = conversation(cast.building_a, member, support_level="2")
    first = sync(steward_a, [queued]).json()["results"]
    again = sync(steward_a, [queued]).json()["results"]
    assert first == again == [{"key": queued["key"], "status": "saved"}]
    assert Conversation.objects.filter(member=member).count() == 1
    assert FieldChange.objects.get(key=queued["key"]).conversation.member == member
    member.refresh_from_db()
    assert member.support_level == 2
    assert member.last_contacted_at is not None


def test_the_queue_is_applied_in_order_of_every_kind(cast, steward_a):
    members = [f.make_member(cast.building_a) for _ in range(3)]
    test = make_test(cast.campaign)
    queue = [
        *(conversation(cast.building_a, m, support_level="3") for m in members),
        change("participation", cast.building_a, members[0], test=test.pk, took_part=True),
        change("participation", cast.building_a, members[1], test=test.pk, took_part=True),
        change("participation", cast.building_a, members[1], test=test.pk, took_part=False),
        change(
            "meeting",
            cast.building_a,
            data={
                "held_on": local_today(cast).isoformat(),
                "agenda": "Petition drive",
                "attendees": [members[0].pk, members[2].pk],
            },
        ),
    ]
    results = sync(steward_a, queue).json()["results"]
    assert [r["status"] for r in results] == ["saved"] * len(queue)
    assert [r["key"] for r in results] == [c["key"] for c in queue]
    assert Conversation.objects.filter(member__in=members).count() == 3
    assert list(test.participations.values_list("member", flat=True)) == [members[0].pk]
    meeting = TenMinuteMeeting.objects.get(building=cast.building_a)
    assert set(meeting.attendees.all()) == {members[0], members[2]}
    assert meeting.led_by == cast.steward_a


def test_a_member_who_moved_is_refused_with_the_reason_and_nothing_is_written(cast, steward_a):
    member = f.make_member(cast.building_a)
    queued = conversation(cast.building_a, member)
    Member.objects.filter(pk=member.pk).update(building=cast.building_b)
    [result] = sync(steward_a, [queued]).json()["results"]
    assert result["status"] == "refused"
    assert result["reason"] == "This member has moved to another building."
    assert not Conversation.objects.exists()
    assert not FieldChange.objects.exists()


def test_a_refusal_does_not_stop_the_changes_after_it(cast, steward_a):
    member = f.make_member(cast.building_a)
    tomorrow = (local_today(cast) + timedelta(days=1)).isoformat()
    bad = conversation(cast.building_a, member, held_on=tomorrow)
    good = conversation(cast.building_a, member)
    results = sync(steward_a, [bad, good]).json()["results"]
    assert results[0]["status"] == "refused"
    assert "The conversation cannot be in the future." in results[0]["reason"]
    assert results[1]["status"] == "saved"
    # Fixed on the phone and sent again with the same key, it is saved.
    bad["data"]["held_on"] = local_today(cast).isoformat()
    assert sync(steward_a, [bad]).json()["results"][0]["status"] == "saved"
    assert Conversation.objects.filter(member=member).count() == 2


def test_a_building_the_steward_lost_is_refused(cast, steward_a):
    member = f.make_member(cast.building_b)
    [result] = sync(steward_a, [conversation(cast.building_b, member)]).json()["results"]
    assert result == {
        "key": result["key"],
        "status": "refused",
        "reason": "You no longer steward this building.",
    }
    assert not Conversation.objects.exists()


def test_an_unreadable_change_is_refused_not_dropped(cast, steward_a):
    results = sync(steward_a, [{"kind": "conversation"}, "nonsense"]).json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert sync(steward_a, []).json()["results"] == []
    response = steward_a.post(reverse(SYNC), {"changes": "{not json"})
    assert response.status_code == 400


def test_of_two_stewards_offline_the_later_conversation_sets_the_support_level(cast, steward_a):
    second_steward = f.make_steward(cast.local, cast.building_a, email="second@test.example")
    member = f.make_member(cast.building_a)
    now = timezone.now()
    earlier = conversation(cast.building_a, member, support_level="2")
    earlier["recorded_at"] = (now - timedelta(hours=2)).isoformat()
    later = conversation(cast.building_a, member, support_level="4")
    later["recorded_at"] = (now - timedelta(hours=1)).isoformat()
    # The later one reaches the server first; the earlier one arrives after it.
    other = cast.client_for("leader")
    other.force_login(second_steward)
    assert sync(other, [later]).json()["results"][0]["status"] == "saved"
    assert sync(steward_a, [earlier]).json()["results"][0]["status"] == "saved"
    member.refresh_from_db()
    assert member.support_level == 4
    kept = Conversation.objects.filter(member=member).order_by("recorded_at")
    assert [(c.support_level, c.support_superseded) for c in kept] == [(2, True), (4, False)]
    page = steward_a.get(reverse("campaigns:member", args=[member.pk])).content.decode()
    assert "later 1-on-1 set the support level" in page


def test_a_phone_clock_ahead_of_the_server_is_held_to_the_server_time(cast, steward_a):
    member = f.make_member(cast.building_a)
    queued = conversation(cast.building_a, member, support_level="1")
    queued["recorded_at"] = (timezone.now() + timedelta(days=3)).isoformat()
    sync(steward_a, [queued])
    assert FieldChange.objects.get().recorded_at <= timezone.now()
    assert Conversation.objects.get().recorded_at <= timezone.now()


def test_the_phone_keeps_only_its_stewards_own_buildings_pages(cast, steward_a):
    member = f.make_member(cast.building_a, first_name="Rosalind")
    test = make_test(cast.campaign)
    body = steward_a.get(reverse("campaigns:field_data")).json()
    organize = reverse("campaigns:building_organize", args=[cast.building_a.pk])
    assert body["buildings"] == [{"id": cast.building_a.pk, "name": cast.building_a.name}]
    assert organize in body["pages"]
    assert f"{organize}?test={test.pk}" in body["pages"]
    assert reverse("campaigns:meeting_log", args=[cast.building_a.pk]) in body["pages"]
    assert not any(str(cast.building_b.pk) in page.split("/") for page in body["pages"])
    text = json.dumps(body)
    assert member.first_name not in text and "member" not in text


@time_machine.travel(EVENING, tick=False)
def test_last_synced_is_in_the_locals_time(cast, steward_a):
    body = steward_a.get(reverse("campaigns:field_data")).json()
    assert body["synced_text"] == "Last synced Monday 30 November 2026, 20:30 PST"
    assert body["forget_after_days"] == 14


@pytest.mark.parametrize("who", ["anonymous", "leader", "partner_x", "other_leader"])
def test_anyone_but_a_steward_is_told_to_forget(cast, who):
    client = cast.client_for(who)
    for response in (client.get(reverse("campaigns:field_data")), sync(client, [])):
        assert response.status_code == 403
        assert response.json()["wipe"] is True


def test_a_steward_who_lost_the_building_is_told_to_forget(cast, steward_a):
    Membership.objects.get(user=cast.steward_a).buildings.clear()
    forget_roles(cast.steward_a)
    assert sync(steward_a, []).json()["wipe"] is True


def test_a_revoked_session_is_told_to_forget(cast, steward_a):
    steward_a.logout()
    assert steward_a.get(reverse("campaigns:field_data")).json()["wipe"] is True


def test_the_page_list_costs_the_same_queries_for_one_building_or_many(cast, steward_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert steward_a.get(reverse("campaigns:field_data")).status_code == 200
        return len(queries)

    few = count()
    membership = Membership.objects.get(user=cast.steward_a)
    for n in range(6):
        building = f.make_building(cast.local, f"School {n}")
        membership.buildings.add(building)
        make_test(cast.campaign, name=f"Test {n}")
    assert count() == few


def test_signing_out_tells_the_browser_to_empty_its_storage(cast, steward_a):
    response = steward_a.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_service_worker_is_served_from_the_site_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b"cg-field" in b"".join(response)


def test_the_manifest_names_the_app_and_its_icons(client):
    body = json.loads(client.get("/manifest.webmanifest").content)
    assert body["display"] == "standalone"
    assert body["start_url"] == reverse("campaigns:my_buildings")
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in body["icons"])
    for path, kind in (("/apple-touch-icon.png", "image/png"), ("/favicon.ico", "image/x-icon")):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"] == kind


def test_field_mode_is_offered_on_the_stewards_own_building_only(cast, steward_a):
    organize = reverse("campaigns:building_organize", args=[cast.building_a.pk])
    meeting = reverse("campaigns:meeting_log", args=[cast.building_a.pk])
    for url in (organize, meeting, reverse("campaigns:my_buildings")):
        assert 'id="field-panel"' in steward_a.get(url).content.decode(), url
    leader = cast.client_for("leader")
    for url in (organize, meeting):
        assert 'id="field-panel"' not in leader.get(url).content.decode(), url
