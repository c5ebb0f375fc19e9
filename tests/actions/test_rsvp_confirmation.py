"""An RSVP is confirmed by email, with a calendar file and a link to cancel; partners sign
people up with a contact; one person is on the list once; the list's contacts are private."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions import reminders
from actions.models import Reminder, Rsvp

from .factories import make_action
from .test_rsvp import form_data, later

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday in UTC


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.example"


def _tomorrow_at_six(cast, **extra):
    starts = datetime(2026, 12, 2, 18, 0, tzinfo=PACIFIC)
    return make_action(
        cast.campaign,
        title="Rally at the board",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **extra,
    )


@time_machine.travel(EVENING, tick=False)
def test_a_public_rsvp_is_confirmed_with_a_calendar_file_and_a_cancel_link(cast, client):
    action = _tomorrow_at_six(cast, is_public=True)
    url = reverse("actions:rsvp", args=[action.pk])
    data = form_data(client, url, name="Pat Parent", email="Pat@Example.org")
    with later():
        assert client.post(url, data).status_code == 302
    rsvp = Rsvp.objects.get()
    # Planned in the RSVP's transaction, sent by the exactly-once machinery.
    confirmation = Reminder.objects.get(kind="confirmation")
    assert (confirmation.rsvp, confirmation.status) == (rsvp, "pending")
    assert reminders.send_due() >= 1
    assert reminders.send_due() == 0
    [message] = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert message.subject == "You are on the list: Rally at the board, Wed 2 Dec, 18:00 PST"
    assert "Wednesday 2 December 2026, 18:00–20:00 PST" in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("action.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == action.starts_at
    assert str(event["summary"]) == "Rally at the board"

    cancel_url = message.body.split("Cancel your RSVP: ", 1)[1].split()[0]
    assert cancel_url.startswith("https://cg.example/actions/rsvp/cancel/")
    assert "pat" not in cancel_url.lower() and "example.org" not in cancel_url
    assert cancel_url in message.alternatives[0][0]
    path = cancel_url.removeprefix("https://cg.example")
    asked = client.get(path)
    assert asked.status_code == 200
    assert "Yes, cancel my RSVP" in asked.content.decode()
    assert "Wednesday 2 December 2026, 18:00" in asked.content.decode()
    assert Rsvp.objects.exists()  # asking changes nothing
    done = client.post(path)
    assert "You are off the list" in done.content.decode()
    assert not Rsvp.objects.exists()
    assert not Reminder.objects.filter(status="pending").exists()
    again = client.get(path)
    assert again.status_code == 200 and "already cancelled" in again.content.decode()


def test_a_forged_cancel_link_is_refused(cast, client):
    action = make_action(cast.campaign, is_public=True)
    rsvp = Rsvp.objects.create(action=action, source="public", name="Pat", email="p@example.org")
    token = reminders.rsvp_cancel_token(rsvp.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("actions:rsvp_cancel", args=[forged])).status_code == 404
    assert client.post(reverse("actions:rsvp_cancel", args=[forged])).status_code == 404
    assert Rsvp.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_partners_give_an_email_or_phone_and_one_person_is_on_the_list_once(cast, client):
    action = _tomorrow_at_six(cast, invited_organisations=[cast.organisation_x], is_public=True)
    partner = cast.client_for("partner_x")
    url = reverse("actions:partner_rsvp", args=[action.pk])
    response = partner.post(
        url, {"names": "Maria Lopez, Maria@Example.org\nSam Okafor, (916) 555-0101\nAna Reyes\n"}
    )
    assert response.status_code == 302
    people = {r.name: (r.email, r.phone) for r in action.rsvps.all()}
    assert people == {
        "Maria Lopez": ("maria@example.org", ""),
        "Sam Okafor": ("", "+19165550101"),
        "Ana Reyes": ("", ""),
    }
    # Maria has an address: she gets the confirmation and the reminders.
    assert Reminder.objects.filter(recipient_email="maria@example.org", kind="confirmation")
    assert Reminder.objects.filter(recipient_email="maria@example.org", kind="reminder")

    again = partner.post(
        url, {"names": "maria lopez, MARIA@example.org\nSam O., 916-555-0101"}, follow=True
    )
    assert "2 of them already were" in again.content.decode()
    assert action.rsvps.count() == 3
    # Maria answering the public form herself is still one person.
    data = form_data(client, reverse("actions:rsvp", args=[action.pk]), email="maria@EXAMPLE.org")
    with later():
        client.post(reverse("actions:rsvp", args=[action.pk]), data)
    assert action.rsvps.count() == 3
    assert (
        Reminder.objects.filter(recipient_email="maria@example.org", kind="confirmation").count()
        == 1
    )
    page = partner.get(url).content.decode()
    assert "maria@example.org" in page
    assert '<a href="tel:+19165550101">(916) 555-0101</a>' in page


def test_a_partner_line_with_a_bad_contact_is_refused_with_its_line_and_kept(cast):
    action = make_action(cast.campaign, invited_organisations=[cast.organisation_x])
    text = "Maria Lopez, maria@example.org\nSam Okafor, call me maybe"
    response = cast.client_for("partner_x").post(
        reverse("actions:partner_rsvp", args=[action.pk]), {"names": text}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: “call me maybe” is neither an email address nor a phone number." in page
    assert "Sam Okafor, call me maybe" in page
    assert not Rsvp.objects.exists()


def test_rsvp_buttons_only_on_actions_still_to_come(cast):
    coming = make_action(cast.campaign, is_public=True, invited_organisations=[cast.organisation_x])
    past = make_action(
        cast.campaign, days=-2, is_public=True, invited_organisations=[cast.organisation_x]
    )
    leader, partner = cast.client_for("leader"), cast.client_for("partner_x")
    public_link = 'href="{}"'
    assert public_link.format(reverse("actions:rsvp", args=[coming.pk])) in (
        leader.get(coming.get_absolute_url()).content.decode()
    )
    assert public_link.format(reverse("actions:rsvp", args=[past.pk])) not in (
        leader.get(past.get_absolute_url()).content.decode()
    )
    assert reverse("actions:partner_rsvp", args=[coming.pk]) in (
        partner.get(coming.get_absolute_url()).content.decode()
    )
    assert reverse("actions:partner_rsvp", args=[past.pk]) not in (
        partner.get(past.get_absolute_url()).content.decode()
    )
    assert partner.get(reverse("actions:partner_rsvp", args=[past.pk])).status_code == 403
    portal = partner.get(reverse("partners:portal")).content.decode()
    assert coming.get_absolute_url() in portal and past.get_absolute_url() not in portal


def test_stewards_do_not_see_how_to_reach_rsvpers_who_asked_not_to_be_contacted(cast):
    action = make_action(cast.campaign, is_public=True)
    Rsvp.objects.create(
        action=action,
        source="public",
        name="Open Olga",
        email="olga@example.org",
        consent_to_contact=True,
    )
    Rsvp.objects.create(
        action=action,
        source="public",
        name="Private Pat",
        email="pat@example.org",
        phone="+19165550101",
    )
    steward = cast.client_for("steward_a").get(action.get_absolute_url()).content.decode()
    assert "Open Olga" in steward and "olga@example.org" in steward
    assert "Private Pat" in steward
    assert "pat@example.org" not in steward and "555-0101" not in steward
    assert "Hidden: asked not to be contacted" in steward
    leader = cast.client_for("leader").get(action.get_absolute_url()).content.decode()
    assert "pat@example.org" in leader and "(916) 555-0101" in leader
    partner = cast.client_for("partner_x").get(action.get_absolute_url()).content.decode()
    assert "Open Olga" not in partner and "Private Pat" not in partner
