"""Every date and time a person reads is in the zone of the local it belongs to.

The clock stands at an hour when UTC is already on another day than the local (20:30 on a
Sunday in California, 07:30 on a Sunday in Tokyo); events are at 18:00 local the next day,
Monday 30 November 2026. A server that shows UTC gets the hour, and often the day, wrong.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Role
from actions import digest, reminders
from actions.models import Reminder
from bargaining import report
from campaigns import invitations
from campaigns.invitations import plan_invitation_email
from campaigns.models import Milestone
from campaigns.zones import local_time, zone_for_request
from demands.models import DemandComment
from tests import factories as f
from tests.actions.factories import make_action
from tests.bargaining.factories import make_demand, make_public_page, make_session
from tests.conftest import EVENING_IN_CALIFORNIA as EVENING

pytestmark = pytest.mark.django_db

MONDAY = "Monday 30 November 2026"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def tomorrow_at_six(now: datetime) -> datetime:
    return (now + timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)


def abbreviation(now: datetime) -> str:
    return tomorrow_at_six(now).tzname()  # PST or JST


def action_tomorrow_at_six(cast, now, **extra):
    starts = tomorrow_at_six(now)
    return make_action(
        cast.campaign,
        title="Rally at the board",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **extra,
    )


def sent_reminder(cast, now) -> mail.EmailMessage:
    action = action_tomorrow_at_six(cast, now, buildings=[cast.building_a])
    reminders.plan_action(action)
    action.reminders.update(next_attempt_at=now)
    assert reminders.send_due() >= 1
    return mail.outbox[0]


# Emails -------------------------------------------------------------------------------------


def test_reminder_email_prints_the_local_weekday_date_and_hour(cast, local_clock):
    message = sent_reminder(cast, local_clock)
    zone = abbreviation(local_clock)
    assert "Mon 30 Nov 2026, 18:00" in message.subject
    assert f"{MONDAY}, 18:00 {zone}" in message.body
    assert f"{MONDAY}, 18:00 {zone}" in message.alternatives[0][0]
    assert "02:00" not in message.body and "09:00" not in message.body


def test_cancellation_email_prints_the_local_weekday_date_and_hour(cast, local_clock):
    action = action_tomorrow_at_six(cast, local_clock, buildings=[cast.building_a])
    reminders.plan_action(action)
    notice = action.reminders.first()
    notice.kind = Reminder.Kind.CANCELLATION
    message = reminders.build_message(notice)
    assert f"planned for {MONDAY}, 18:00 {abbreviation(local_clock)}, is cancelled" in message.body
    assert f"{MONDAY}, 18:00 {abbreviation(local_clock)}" in message.alternatives[0][0]


def test_digest_email_lists_the_weeks_actions_at_local_time(cast, local_clock):
    action_tomorrow_at_six(cast, local_clock)
    monday_morning = tomorrow_at_six(local_clock).replace(hour=7)
    assert digest.plan_weekly_digests(now=monday_morning) == 2
    row = Reminder.objects.filter(kind=Reminder.Kind.DIGEST).first()
    message = reminders.build_message(row)
    assert f"Mon 30 Nov 2026, 18:00 {abbreviation(local_clock)} Rally at the board" in message.body
    html = message.alternatives[0][0]
    assert f"Mon 30 Nov 2026, 18:00 {abbreviation(local_clock)} <a href=" in html
    assert "Rally at the board</a>" in html


def test_invitation_email_gives_the_expiry_in_local_time(cast, local_clock):
    invitation, _token = Invitation.issue(
        local=cast.local, email="new@test.example", role=Role.LEADER, invited_by=cast.leader
    )
    plan_invitation_email(invitation)
    invitations.send_due()
    invitation.refresh_from_db()
    expires = invitation.expires_at.astimezone(local_clock.tzinfo)
    printed = f"{expires:%A} {expires.day} {expires:%B %Y}, {expires:%H:%M} {expires.tzname()}"
    assert f"expires on {printed}." in mail.outbox[0].body
    assert f"expires on {printed}." in mail.outbox[0].alternatives[0][0]


# Pages --------------------------------------------------------------------------------------


def test_partner_portal_lists_an_invited_action_at_local_time(cast, local_clock):
    action_tomorrow_at_six(cast, local_clock, invited_organisations=[cast.organisation_x])
    html = cast.client_for("partner_x").get(reverse("partners:portal")).content.decode()
    assert f"{MONDAY}, 18:00 {abbreviation(local_clock)}" in html


def test_steward_reads_the_local_hour_on_every_page_of_an_action(cast, local_clock):
    action = action_tomorrow_at_six(cast, local_clock, buildings=[cast.building_a])
    client = cast.client_for("steward_a")
    zone = abbreviation(local_clock)
    listing = client.get(reverse("actions:list")).content.decode()
    detail = client.get(action.get_absolute_url()).content.decode()
    assert f"Mon 30 Nov 2026, 18:00 {zone}" in listing
    assert f"{MONDAY}, 18:00 {zone}</time>–<time" in detail
    # The zone lasts as long as the request, not longer.
    assert timezone.get_current_timezone_name() == "UTC"


@pytest.mark.parametrize(
    "url_name",
    [
        "campaigns:conversation_log",
        "campaigns:meeting_log",
        "structure_test",
        "partners:session_create",
    ],
)
def test_form_defaults_are_the_locals_today(cast, local_clock, url_name):
    member = f.make_member(cast.building_a)
    if url_name == "campaigns:conversation_log":
        url, who = reverse(url_name, args=[member.pk]), "steward_a"
    elif url_name == "campaigns:meeting_log":
        url, who = reverse(url_name, args=[cast.building_a.pk]), "steward_a"
    elif url_name == "partners:session_create":
        url, who = reverse(url_name, args=[cast.organisation_x.pk]), "leader"
    else:
        url, who = reverse("campaigns:structure_test_add", args=[cast.campaign.slug]), "leader"
    html = cast.client_for(who).get(url).content.decode()
    assert 'value="2026-11-29"' in html  # Sunday, the local's today
    assert "2026-11-28" not in html and "2026-11-30" not in html


def test_a_milestone_due_today_is_not_overdue_in_the_evening(cast, evening_in_california):
    today = Milestone.objects.create(
        campaign=cast.campaign, title="Listening tour", due_on=date(2026, 11, 29)
    )
    yesterday = Milestone.objects.create(
        campaign=cast.campaign, title="Survey", due_on=date(2026, 11, 28)
    )
    html = cast.client_for("leader").get(cast.campaign.get_absolute_url()).content.decode()
    assert f'id="milestone-{today.pk}" class="milestone"' in html
    assert f'id="milestone-{yesterday.pk}" class="milestone milestone-overdue"' in html


def test_someone_in_locals_of_two_zones_reads_each_object_in_its_own_zone(
    cast, evening_in_california
):
    tokyo = f.make_local("Tokyo Teachers", timezone="Asia/Tokyo")
    Membership.objects.create(user=cast.leader, local=tokyo, role=Role.LEADER)
    demand = make_demand(f.make_campaign(tokyo), published=False)
    DemandComment.objects.create(demand=demand, author=cast.leader, body="Looks right")
    html = cast.client_for("leader").get(demand.get_absolute_url()).content.decode()
    # 20:30 Sunday in California is 13:30 Monday in Tokyo.
    assert f"{MONDAY}, 13:30 JST" in html
    home_demand = make_demand(cast.campaign, published=False)
    DemandComment.objects.create(demand=home_demand, author=cast.leader, body="Agreed")
    html = cast.client_for("leader").get(home_demand.get_absolute_url()).content.decode()
    assert "Sunday 29 November 2026, 20:30 PST" in html


def test_someone_in_locals_of_two_zones_gets_each_campaigns_today(cast, evening_in_california):
    tokyo = f.make_local("Tokyo Teachers", timezone="Asia/Tokyo")
    Membership.objects.create(user=cast.leader, local=tokyo, role=Role.LEADER)
    client = cast.client_for("leader")
    tokyo_campaign = f.make_campaign(tokyo)
    for campaign, today in ((tokyo_campaign, "2026-11-30"), (cast.campaign, "2026-11-29")):
        url = reverse("campaigns:structure_test_add", args=[campaign.slug])
        assert f'value="{today}"' in client.get(url).content.decode()


def test_one_zone_is_found_without_a_query(cast, django_assert_num_queries, rf):
    request = rf.get("/")
    request.user = cast.steward_a
    from accounts.access import roles_for

    roles_for(cast.steward_a)
    with django_assert_num_queries(0):
        zone = zone_for_request(request, lambda r: None, {"pk": 1})
    assert zone == ZoneInfo("America/Los_Angeles")


# Public outputs -----------------------------------------------------------------------------


def test_public_page_feed_and_calendar_name_the_local_time(cast, local_clock, client):
    make_public_page(cast.campaign)
    starts = tomorrow_at_six(local_clock)
    make_session(cast.campaign, starts_at=starts, ends_at=starts + timedelta(hours=2))
    make_action(
        cast.campaign, title="Rally at the board", starts_at=starts, ends_at=starts, is_public=True
    )
    zone = abbreviation(local_clock)
    slug = cast.campaign.slug
    feed = client.get(reverse("open:feed", args=[slug])).content.decode()
    assert f"Bargaining session, {MONDAY}, 18:00 {zone}" in feed
    calendar = client.get(reverse("open:calendar", args=[slug])).content.decode()
    unfolded = calendar.replace("\r\n ", "")
    assert f"DESCRIPTION:{MONDAY}\\, 18:00 {zone}" in unfolded
    page = client.get(reverse("open:campaign", args=[slug])).content.decode()
    assert f"18:00–20:00 {zone}" in page
    assert f"{MONDAY}, 18:00 {zone}" in page


def test_the_pdf_report_prints_local_time(cast, local_clock):
    make_public_page(cast.campaign)
    starts = tomorrow_at_six(local_clock)
    make_session(cast.campaign, starts_at=starts, ends_at=starts + timedelta(hours=2))
    with mock.patch.object(report, "html_to_pdf", return_value=(b"%PDF", 1)) as to_pdf:
        report.render_public_report(cast.campaign, "en")
    html = to_pdf.call_args.args[0]
    assert f"18:00–20:00 {abbreviation(local_clock)}" in html
    assert MONDAY in html


def test_local_time_names_the_zone_for_background_work(cast):
    with time_machine.travel(datetime(2026, 11, 30, 4, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        with local_time(cast.local):
            assert timezone.localdate() == date(2026, 11, 29)
        assert timezone.localdate() == date(2026, 11, 30)


# Background work ----------------------------------------------------------------------------


def test_the_weekly_snapshot_belongs_to_the_locals_week(cast, evening_in_california):
    from campaigns.models import WeeklySnapshot
    from campaigns.tasks import record_weekly_snapshots

    # Sunday 20:30 in California is Monday in UTC; the week is still the one of Monday 23rd.
    record_weekly_snapshots()
    assert WeeklySnapshot.objects.get(campaign=cast.campaign).week == date(2026, 11, 23)


def test_the_demo_is_seeded_in_its_locals_today(evening_in_california):
    from django.core.management import call_command

    from campaigns.models import Task
    from seeds.demo.cat import TEAM_DETAILS

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    title, due_in = next(iter(TEAM_DETAILS.values()))[1][0]
    # Dates are counted from the local's Sunday 29th, not from UTC's Monday 30th.
    assert Task.objects.get(title=title).due_on == date(2026, 11, 29) + timedelta(days=due_in)


def test_every_view_of_one_object_declares_its_model():
    """So that someone in locals of several zones reads each object in its own local's zone."""
    from django.urls import URLPattern, URLResolver, get_resolver

    ours = {"accounts", "actions", "bargaining", "broadcasts", "campaigns", "demands", "partners"}
    undeclared = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                app = pattern.callback.__module__.split(".")[0]
                declared = hasattr(pattern.callback, "shows_model")
                if app in ours and "<int:" in route and not declared:
                    undeclared.append(route)

    walk(get_resolver().url_patterns)
    assert undeclared == []


def test_dates_read_in_the_one_format_in_spanish_too(cast, evening_in_california):
    action_tomorrow_at_six(cast, EVENING, invited_organisations=[cast.organisation_x])
    client = cast.client_for("partner_x")
    html = client.get(reverse("partners:portal"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "lunes 30 de noviembre de 2026, 18:00 PST" in html


def test_a_local_refuses_a_zone_that_does_not_exist(cast):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    cast.local.timezone = "Pacific/Sacramento"
    with translation.override("en"), pytest.raises(ValidationError, match="not a time zone"):
        cast.local.full_clean()
    cast.local.refresh_from_db()
    assert cast.local.timezone == "America/Los_Angeles"
