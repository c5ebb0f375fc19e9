"""Planning, re-planning, cancelling and sending reminders, in one process."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from actions import digest, reminders
from actions.models import Action, Reminder, Rsvp, Unsubscribe
from tests import factories as f

from .factories import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def due_now(action):
    """Pretend every pending reminder of the action is due."""
    action.reminders.filter(status="pending").update(next_attempt_at=timezone.now())


def test_offsets_already_past_are_skipped(cast):
    action = make_action(cast.campaign, days=3, buildings=[cast.building_a])
    assert reminders.plan_action(action) == 2  # one day and two hours; a week before has passed
    assert set(action.reminders.values_list("offset_minutes", flat=True)) == {24 * 60, 120}


def test_whole_campaign_action_reminds_every_steward(cast):
    action = make_action(cast.campaign)
    reminders.plan_action(action)
    emails = set(action.reminders.values_list("recipient_email", flat=True))
    assert emails == {"steward-a@test.example", "steward-b@test.example"}


def test_planning_twice_writes_nothing_new(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    reminders.plan_action(action)
    assert action.reminders.count() == 3


def test_sending_due_reminders_once_each(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    assert reminders.send_due() == 3
    assert reminders.send_due() == 0
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.to == ["steward-a@test.example"]
    assert "you are a steward of a building taking part" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/actions/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert set(action.reminders.values_list("status", flat=True)) == {"sent"}


def test_reminders_not_yet_due_stay_pending(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    assert reminders.send_due() == 0
    assert not mail.outbox


def test_rescheduling_replans_pending_and_keeps_sent(cast):
    action = make_action(cast.campaign, days=10, buildings=[cast.building_a])
    reminders.plan_action(action)
    week = action.reminders.get(offset_minutes=7 * 24 * 60)
    week.next_attempt_at = timezone.now()
    week.save()
    reminders.send_due()
    new_start = action.starts_at + timedelta(days=1)
    action.reschedule(new_start, new_start + timedelta(hours=1))
    pending = action.reminders.filter(status="pending", kind="reminder")
    assert pending.count() == 3
    assert {r.due_at for r in pending} == {
        new_start - timedelta(minutes=m) for m in [7 * 24 * 60, 24 * 60, 120]
    }
    assert action.reminders.filter(status="sent").count() == 1


def test_cancelling_cancels_pending_and_sends_one_notice_to_each_person(cast):
    action = make_action(cast.campaign, days=10)
    reminders.plan_action(action)
    # Steward A already got two reminders; steward B none yet: both are told, once each.
    first_two = action.reminders.filter(recipient_email="steward-a@test.example").order_by("due_at")
    Reminder.objects.filter(pk__in=[r.pk for r in first_two[:2]]).update(
        status="sent", sent_at=timezone.now()
    )
    action.cancel(by=cast.leader)
    action.cancel(by=cast.leader)
    assert action.reminders.filter(kind="reminder", status="pending").count() == 0
    notices = action.reminders.filter(kind="cancellation").order_by("recipient_email")
    assert list(notices.values_list("recipient_email", flat=True)) == [
        "steward-a@test.example",
        "steward-b@test.example",
    ]
    reminders.send_due()
    assert [m.subject for m in mail.outbox] == [f"Cancelled: {action.title}"] * 2


def test_a_claimed_reminder_is_not_claimed_again_until_its_lease_ends(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    first = reminders.claim()
    assert first is not None
    assert reminders.claim() is None  # everything is claimed by the first worker
    later = timezone.now() + reminders.lease() + timedelta(seconds=1)
    second = reminders.claim(now=later)
    assert second is not None and second != first
    # The first worker, back from a pause, owns nothing any more and sends nothing.
    assert reminders.send_claimed(first) == 0
    assert reminders.send_claimed(second) == 3
    assert len(mail.outbox) == 3


def test_an_interrupted_hand_off_is_not_sent_twice(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    token = reminders.claim()
    claimed = list(Reminder.objects.filter(claim_token=token).order_by("pk"))
    # A worker handed the first one to the mail server and died before marking it sent.
    message = reminders.build_message(claimed[0])
    message.send()
    Reminder.objects.filter(pk=claimed[0].pk).update(handoff_at=timezone.now())
    later = timezone.now() + reminders.lease() + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        token2 = reminders.claim()
        reminders.send_claimed(token2)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert set(action.reminders.values_list("status", flat=True)) == {"sent"}


def test_an_unknown_hand_off_is_marked_failed_not_resent(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    token = reminders.claim()
    Reminder.objects.filter(claim_token=token).update(handoff_at=timezone.now())
    later = timezone.now() + reminders.lease() + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        reminders.send_claimed(reminders.claim())
    failed = action.reminders.filter(status="failed")
    assert failed.count() == 3
    assert "cannot tell whether" in failed.first().last_error


def test_failures_back_off_then_fail_visibly(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    reminder = action.reminders.first()
    action.reminders.exclude(pk=reminder.pk).delete()
    waits = []
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    ):
        for _attempt in range(reminders.MAX_ATTEMPTS):
            Reminder.objects.filter(pk=reminder.pk).update(next_attempt_at=timezone.now())
            before = timezone.now()
            reminders.send_due()
            reminder.refresh_from_db()
            if reminder.status == "pending":
                waits.append(round((reminder.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4, 8]
    assert reminder.status == "failed" and "mail server down" in reminder.last_error
    assert reminder.attempts == reminders.MAX_ATTEMPTS


def test_unsubscribed_addresses_get_nothing(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    Unsubscribe.objects.create(email="steward-a@test.example", stream="reminders")
    reminders.send_due()
    assert not mail.outbox
    assert set(action.reminders.values_list("status", flat=True)) == {"cancelled"}


def test_one_click_unsubscribe_link_is_honoured(cast, client):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    first = action.reminders.order_by("due_at").first()
    Reminder.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    reminders.send_due()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1" in url else url
    page = client.get(path)
    assert page.status_code == 200 and not Unsubscribe.objects.exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Unsubscribe.objects.filter(email="steward-a@test.example", stream="reminders").exists()
    assert not action.reminders.filter(status="pending").exists()


def test_a_forged_unsubscribe_token_is_refused(client):
    url = reverse("actions:unsubscribe", args=["not-a-token"])
    assert client.post(url).status_code == 404
    assert not Unsubscribe.objects.exists()


def test_an_unsubscribe_token_is_signed_for_its_purpose_only(client):
    token = reminders.unsubscribe_token("Pat@Example.org", "digest")
    assert reminders.read_unsubscribe_token(token) == ("pat@example.org", "digest")
    # The same value signed without the unsubscribe salt (as another link would be) is refused,
    # and so is a token whose address was changed.
    other = signing.Signer(salt="actions.rsvp-cancel").sign_object(["digest", "pat@example.org"])
    value, signature = token.rsplit(":", 1)
    changed = signing.Signer().sign_object(["digest", "sam@example.org"]).rsplit(":", 1)[0]
    for forged in [other, f"{changed}:{signature}", value]:
        assert reminders.read_unsubscribe_token(forged) is None
        assert client.post(reverse("actions:unsubscribe", args=[forged])).status_code == 404
    assert not Unsubscribe.objects.exists()


def test_each_batch_renders_an_actions_text_once_and_reads_its_events_afresh(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a], title="Walk-in")
    recipients = [
        reminders.Recipient(f"m{n}@district.example", f"Name{n}", "in your building")
        for n in range(3)
    ]
    reminders.plan_reminders(action, recipients, offsets=[60])
    Reminder.objects.filter(action=action).update(next_attempt_at=timezone.now())
    batch = reminders.Batch()
    rows = list(Reminder.objects.filter(action=action))
    messages = [reminders.build_message(row, batch) for row in rows]
    assert len(batch.rendered) == 1
    assert {m.to[0] for m in messages} == {r.email for r in recipients}
    # Each copy of the one rendering carries its own recipient's name.
    for row, message in zip(rows, messages, strict=True):
        assert row.recipient_name in message.body and "\ue000" not in message.body
    # A later batch starts empty, so an action renamed in between is sent under its new title.
    Action.objects.filter(pk=action.pk).update(title="Walk-in, new time")
    assert reminders.send_due() == 3
    assert all("Walk-in, new time" in m.body for m in mail.outbox)


def test_rsvp_reminders_are_planned_for_people_with_an_email(cast):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    rsvp = Rsvp.objects.create(action=action, source="public", name="Pat", email="pat@example.org")
    assert reminders.plan_for_rsvp(rsvp) == 4  # the confirmation and three reminders
    named = Rsvp.objects.create(action=action, source="partner", name="No Email")
    assert reminders.plan_for_rsvp(named) == 0


def test_invited_partners_are_reminded_with_their_reason(cast):
    action = make_action(cast.campaign, buildings=[cast.building_b])
    action.invited_organisations.add(cast.organisation_y)
    recipients = {r.email: r.reason for r in reminders.action_recipients(action)}
    assert set(recipients) == {"steward-b@test.example", "partner-y@test.example"}
    assert "Organisation Y Faith is invited" in recipients["partner-y@test.example"]


def test_weekly_digest_monday_morning_in_the_locals_time_zone(cast):
    cast.local.timezone = "America/Los_Angeles"
    cast.local.save()
    stale = f.make_member(cast.building_a, first_name="Quiet", last_name="Teacher")
    f.make_member(
        cast.building_a,
        first_name="Fresh",
        last_name="Contact",
        last_contacted_at=timezone.now(),
        support_level=2,
    )
    f.make_member(
        cast.building_a,
        first_name="Unsure",
        last_name="Person",
        support_level=3,
        last_contacted_at=timezone.now(),
    )
    f.make_member(cast.building_b, first_name="Other", last_name="Building")
    make_action(cast.campaign, days=2, title="Red Thursday walk-in")
    # Monday 07:30 in Los Angeles is 15:30 UTC (PST).
    monday = datetime(2026, 11, 16, 15, 30, tzinfo=UTC)
    sunday = monday - timedelta(days=1)
    assert digest.plan_weekly_digests(now=sunday) == 0
    assert digest.plan_weekly_digests(now=monday) == 2
    assert digest.plan_weekly_digests(now=monday) == 0  # planned again: same keys, no new rows
    assert Reminder.objects.filter(kind="digest").count() == 2
    reminders.send_due()
    sent = next(m for m in mail.outbox if m.to == ["steward-a@test.example"])
    assert stale.name in sent.body and "Unsure Person" in sent.body
    assert "Fresh Contact" not in sent.body and "Other Building" not in sent.body
    assert "Red Thursday walk-in" in sent.body
    assert "because you are a steward of" in sent.body
    assert "List-Unsubscribe" in sent.extra_headers


def test_digest_unsubscribe_is_separate_from_reminders(cast):
    Unsubscribe.objects.create(email="steward-a@test.example", stream="digest")
    monday = datetime(2026, 11, 16, 15, 30, tzinfo=UTC)
    digest.plan_weekly_digests(now=monday)
    reminders.send_due()
    assert [m.to for m in mail.outbox] == [["steward-b@test.example"]]


def test_the_beat_tasks_send_and_plan(cast, settings):
    from actions import tasks

    action = make_action(cast.campaign, buildings=[cast.building_a])
    reminders.plan_action(action)
    due_now(action)
    assert tasks.send_due_reminders.delay().get() == 3
    assert tasks.plan_steward_digests.delay().get() >= 0
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"actions.tasks.send_due_reminders", "actions.tasks.plan_steward_digests"} <= schedule


def test_messages_escape_names_in_html_and_keep_them_plain_in_text(cast):
    action = make_action(cast.campaign, title="Rally & walk-in")
    rsvp = Rsvp.objects.create(
        action=action, source="public", name="<b>O'Brien</b>", email="ob@example.org"
    )
    reminders.plan_for_rsvp(rsvp)
    due_now(action)
    reminders.send_due()
    for message in mail.outbox:  # the confirmation, then the reminders
        html = message.alternatives[0][0]
        assert "Hello <b>O'Brien</b>," in message.body
        assert "&lt;b&gt;O&#x27;Brien&lt;/b&gt;" in html and "<b>O'Brien" not in html
    assert mail.outbox[-1].subject.startswith("Reminder: Rally & walk-in")


def test_other_event_kinds_plug_in_through_event_label(cast):
    """A reminder names its event by label and id, so bargaining sessions can use it later."""
    action = make_action(cast.campaign, title="Open bargaining session 4", place="Room 2")
    Reminder.objects.create(
        key="other:1",
        campaign=cast.campaign,
        event_label="actions.action",
        event_id=action.pk,
        recipient_email="member@example.org",
        reason="you signed up for open bargaining",
        offset_minutes=60,
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    assert reminders.send_due() == 1
    assert "Open bargaining session 4" in mail.outbox[0].body and "Room 2" in mail.outbox[0].body
    action.cancel(by=cast.leader)
    notices = Reminder.objects.filter(kind="cancellation")
    assert notices.filter(recipient_email="member@example.org").count() == 1
