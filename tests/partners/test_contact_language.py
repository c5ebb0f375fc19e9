"""A partner contact without an account has a language, and every email to them is in it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions import reminders
from broadcasts import sending
from broadcasts.models import Broadcast
from partners.models import Contact
from tests.actions.factories import make_action
from tests.broadcasts.factories import make_broadcast

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday in UTC


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_leader_gives_a_contact_a_language(cast):
    response = cast.client_for("leader").post(
        reverse("partners:contact_create", args=[cast.organisation_x.pk]),
        {"name": "Rosa Díaz", "email": "rosa@x.example", "language": "es"},
    )
    assert response.status_code == 302
    assert Contact.objects.get(email="rosa@x.example").language == "es"
    form = cast.client_for("leader").get(cast.organisation_x.get_absolute_url())
    assert 'name="language"' in form.content.decode()


def test_the_contacts_list_shows_each_language_by_its_own_name(cast):
    Contact.objects.create(
        organisation=cast.organisation_x, name="Rosa", email="rosa@x.example", language="es"
    )
    Contact.objects.create(
        organisation=cast.organisation_x, name="Pov", email="pov@x.example", language="hmn"
    )
    Contact.objects.create(organisation=cast.organisation_x, name="Lee", email="lee@x.example")
    page = cast.client_for("leader").get(cast.organisation_x.get_absolute_url()).content.decode()
    assert '<span lang="es">Español</span>' in page
    assert '<span lang="hmn">Hmoob</span>' in page
    lee = page[page.index("<strong>Lee</strong>") :].split("</li>")[0]
    assert "lang=" not in lee


def test_a_leader_changes_a_contacts_language(cast):
    contact = Contact.objects.create(
        organisation=cast.organisation_x, name="Rosa", email="rosa@x.example"
    )
    client = cast.client_for("leader")
    url = reverse("partners:contact_edit", args=[contact.pk])
    assert url in client.get(cast.organisation_x.get_absolute_url()).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and 'name="language"' in form.content.decode()
    response = client.post(url, {"name": "Rosa Díaz", "email": "rosa@x.example", "language": "es"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.language) == ("Rosa Díaz", "es")
    refused = client.post(url, {"name": "", "language": "es"})
    assert refused.status_code == 400


def test_a_partner_cannot_edit_a_contact(cast):
    contact = Contact.objects.create(organisation=cast.organisation_x, name="Rosa")
    url = reverse("partners:contact_edit", args=[contact.pk])
    assert cast.client_for("partner_x").post(url, {"name": "X"}).status_code == 403
    assert cast.client_for("partner_y").post(url, {"name": "X"}).status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Rosa"


def test_a_broadcast_to_partner_contacts_is_in_each_contacts_language(cast):
    Contact.objects.create(
        organisation=cast.organisation_x, name="Rosa", email="rosa@x.example", language="es"
    )
    Contact.objects.create(organisation=cast.organisation_x, name="Lee", email="lee@x.example")
    broadcast = make_broadcast(cast.campaign, audience=Broadcast.Audience.PARTNER_CONTACTS)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {"rosa@x.example": "Actualización", "lee@x.example": "Bargaining update"}


@time_machine.travel(EVENING, tick=False)
def test_a_cancelled_action_tells_an_invited_contact_in_their_language(cast):
    starts = datetime(2026, 12, 2, 18, 0, tzinfo=PACIFIC)
    action = make_action(
        cast.campaign,
        title="Rally at the board",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        invited_organisations=[cast.organisation_x],
        is_public=True,
    )
    Contact.objects.create(
        organisation=cast.organisation_x, name="Rosa", email="rosa@x.example", language="es"
    )
    action.cancel(by=cast.leader, reason="La junta cambió la fecha.")
    reminders.send_due()
    notice = next(m for m in mail.outbox if m.to == ["rosa@x.example"])
    assert notice.subject == "Cancelada: Rally at the board"
