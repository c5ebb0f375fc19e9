"""The steward's phone page: talk order, 1-on-1s and structure tests in place with htmx."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Conversation, Member, StructureTestParticipation
from tests import factories as f

from .factories import make_members, make_test

pytestmark = pytest.mark.django_db


def local_today(cast):
    """The day at the cast's local: after 16:00 in Los Angeles, UTC is already tomorrow."""
    return timezone.localdate(timezone=ZoneInfo(cast.local.timezone))


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_members_are_listed_in_talk_order(cast):
    now = timezone.now()
    contacted = f.make_member(cast.building_a, last_name="Zed", last_contacted_at=now)
    never = f.make_member(cast.building_a, last_name="Young")
    response = cast.client_for("steward_a").get(reverse("campaigns:my_buildings"))
    assert [m.pk for m in response.context["members"]] == [never.pk, contacted.pk]
    assert response.context["to_talk"] == 1


def test_logging_a_one_on_one_with_htmx_returns_the_updated_row_and_announces_it(cast):
    member = f.make_member(cast.building_a, first_name="Alma")
    test = make_test(cast.campaign)
    client = cast.client_for("steward_a")
    url = reverse("campaigns:conversation_log", args=[member.pk])
    form = client.get(url, {"test": test.pk}, **HTMX)
    assert b'data-hx-post="' + url.encode() in form.content
    assert b"<html" not in form.content
    response = client.post(
        url,
        {
            "held_on": local_today(cast).isoformat(),
            "outcome": "committed",
            "issues": "Class of 34",
            "ask": "Sign the petition",
            "answer": "Signed",
            "support_level": "2",
            "test": test.pk,
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="member-{member.pk}"')
    assert 'data-announce="1-on-1 with Alma' in html
    assert "2 · Supporter" in html
    member.refresh_from_db()
    assert member.support_level == 2 and member.last_contacted_at is not None
    conversation = Conversation.objects.get()
    assert conversation.steward == cast.steward_a and conversation.issues == "Class of 34"


def test_without_javascript_the_form_posts_and_redirects_back_to_the_member(cast):
    member = f.make_member(cast.building_a)
    response = cast.client_for("steward_a").post(
        reverse("campaigns:conversation_log", args=[member.pk]),
        {"held_on": local_today(cast).isoformat(), "outcome": "thinking"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#member-{member.pk}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "2999-01-01", "outcome": "committed"}, "cannot be in the future"),
        ({"held_on": "2026-11-01", "outcome": "committed", "support_level": "7"}, "valid choice"),
        ({"held_on": "2026-11-01", "outcome": "committed", "support_level": "0"}, "valid choice"),
        ({"held_on": "yesterday", "outcome": "committed"}, "Enter a valid date"),
        ({"held_on": "2026-11-01"}, "This field is required"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_conversation_input_is_explained_and_nothing_is_saved(cast, data, message, htmx):
    member = f.make_member(cast.building_a, support_level=3)
    extra = HTMX if htmx else {}
    response = cast.client_for("steward_a").post(
        reverse("campaigns:conversation_log", args=[member.pk]), data, **extra
    )
    assert message in response.content.decode()
    assert response.status_code == (200 if htmx else 400)
    assert not Conversation.objects.exists()
    member.refresh_from_db()
    assert member.support_level == 3 and member.last_contacted_at is None


def test_ticking_a_structure_test_with_htmx_swaps_the_row(cast):
    member = f.make_member(cast.building_a, first_name="Alma")
    test = make_test(cast.campaign, name="Wore red on Thursday")
    client = cast.client_for("steward_a")
    url = reverse("campaigns:participation_toggle", args=[test.pk, member.pk])
    response = client.post(url, **HTMX)
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "took part in “Wore red on Thursday”" in html
    assert StructureTestParticipation.objects.get().recorded_by == cast.steward_a
    response = client.post(url, **HTMX)
    assert 'aria-pressed="false"' in response.content.decode()
    assert not StructureTestParticipation.objects.exists()
    response = client.post(url)  # without JavaScript
    assert response.status_code == 302
    assert f"test={test.pk}" in response["Location"]


def test_a_test_of_another_local_cannot_be_ticked(cast):
    member = f.make_member(cast.building_a)
    foreign = make_test(f.make_campaign(cast.other_local))
    response = cast.client_for("leader").post(
        reverse("campaigns:participation_toggle", args=[foreign.pk, member.pk])
    )
    assert response.status_code == 404
    assert not StructureTestParticipation.objects.exists()


def test_the_page_shows_the_chosen_structure_test(cast):
    member = f.make_member(cast.building_a)
    older = make_test(cast.campaign, name="Petition", held_on=local_today(cast) - timedelta(9))
    make_test(cast.campaign, name="Red Thursday", held_on=local_today(cast))
    older.toggle(member, by=cast.leader)
    client = cast.client_for("steward_a")
    assert client.get(reverse("campaigns:my_buildings")).context["test"].name == "Red Thursday"
    response = client.get(reverse("campaigns:my_buildings"), {"test": older.pk})
    assert response.context["test"] == older and response.context["took_part"] == 1


def test_ten_minute_meeting_records_who_came(cast):
    members = make_members(cast.building_a, 3)
    other = f.make_member(cast.building_b)
    client = cast.client_for("steward_a")
    url = reverse("campaigns:meeting_log", args=[cast.building_a.pk])
    response = client.post(
        url,
        {
            "held_on": local_today(cast).isoformat(),
            "agenda": "Petition; red Thursday",
            "questions": "Does the fund cover motels?",
            "attendees": [members[0].pk, members[1].pk],
        },
    )
    assert response.status_code == 302
    meeting = cast.building_a.meetings.get()
    assert set(meeting.attendees.all()) == set(members[:2])
    assert meeting.led_by == cast.steward_a
    # A member of another building cannot be listed; a future date is refused.
    response = client.post(url, {"held_on": "2999-01-01", "agenda": "x", "attendees": [other.pk]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Select a valid choice" in text and "not before" in text
    assert cast.building_a.meetings.count() == 1


def test_steward_page_runs_a_constant_number_of_queries(cast, django_assert_num_queries):
    test = make_test(cast.campaign)
    client = cast.client_for("steward_a")
    client.get(reverse("campaigns:my_buildings"))  # warm the session
    counts = []
    for size in (3, 30):
        Member.objects.filter(building=cast.building_a).delete()
        members = make_members(cast.building_a, size)
        for member in members[::2]:
            test.toggle(member, by=cast.steward_a)
        with django_assert_num_queries(8) as captured:
            response = client.get(reverse("campaigns:my_buildings"))
        assert len(response.context["members"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_steward_without_buildings_is_told_so(cast):
    lonely = f.make_steward(cast.local, email="lonely@test.example")
    from django.test import Client

    client = Client()
    client.force_login(lonely)
    response = client.get(reverse("campaigns:my_buildings"), follow=True)
    assert "No building is assigned to you yet" in response.content.decode()


def test_a_member_without_a_building_can_still_get_a_one_on_one(cast):
    member = f.make_member(cast.building_a)
    Member.objects.filter(pk=member.pk).update(building=None)
    client = cast.client_for("leader")
    url = reverse("campaigns:conversation_log", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"held_on": "2026-11-01", "outcome": "thinking"})
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()


def test_member_page_lists_the_structure_tests_they_took_part_in(cast):
    member = f.make_member(cast.building_a)
    make_test(cast.campaign, name="Wore red on Thursday").toggle(member, by=cast.steward_a)
    make_test(cast.campaign, name="Came to the rally")
    html = cast.client_for("steward_a").get(member.get_absolute_url()).content.decode()
    assert "Wore red on Thursday" in html and "Came to the rally" not in html
