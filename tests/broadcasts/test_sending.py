"""Scheduling writes the deliveries; sending goes out once, in each reader's language, with
one-click unsubscribe that holds for the campaign from then on."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from actions.models import Participation
from broadcasts import segments, sending
from broadcasts.models import Broadcast, BroadcastSettings, Click, Delivery, Link, Suppression
from tests import factories as f
from tests.actions.factories import make_action

from .factories import make_broadcast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.test"


def _members(cast):
    english = f.make_member(cast.building_a, personal_email="ana@home.example")
    spanish = f.make_member(cast.building_a, preferred_language="Spanish")
    other = f.make_member(cast.building_b)
    return english, spanish, other


def test_a_building_segment_gets_one_message_each_in_their_language(cast):
    english, spanish, _other = _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    assert broadcast.schedule(by=cast.leader) == 2
    assert sending.send_due() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ana@home.example", spanish.work_email}
    assert by_address["ana@home.example"].subject == "Bargaining update"
    assert by_address[spanish.work_email].subject == "Actualización"
    # The footer is in the reader's language too.
    assert "Darse de baja de estas novedades" in by_address[spanish.work_email].body
    assert "Unsubscribe from these updates" in by_address["ana@home.example"].body
    # Sending again finds nothing: every row is sent.
    assert sending.send_due() == 0
    assert len(mail.outbox) == 2
    assert broadcast.counts()["sent"] == 2


def test_a_reader_without_a_text_in_their_language_gets_the_default(cast):
    member = f.make_member(cast.building_a, preferred_language="Spanish")
    broadcast = make_broadcast(cast.campaign, spanish=False)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    assert Delivery.objects.get(recipient_email=member.work_email).language == "en"
    assert mail.outbox[0].subject == "Bargaining update"


def test_headers_say_one_click_unsubscribe_and_keep_the_message_id(cast):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    message = mail.outbox[0]
    delivery = Delivery.objects.get(recipient_email=message.to[0])
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://cg.test/broadcasts/unsubscribe/")
    # The address is not in the link: only the signed delivery.
    assert delivery.recipient_email not in url and "ana" not in url


def test_one_click_unsubscribe_stops_this_campaigns_next_broadcasts(cast):
    english, _spanish, _other = _members(cast)
    first = make_broadcast(cast.campaign, building=cast.building_a)
    first.schedule(by=cast.leader)
    sending.send_due()
    message = next(m for m in mail.outbox if m.to == ["ana@home.example"])
    path = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("https://cg.test")
    # What a mail provider does for RFC 8058: a POST with no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Suppression.objects.filter(email="ana@home.example", campaign=cast.campaign).exists()
    assert first.counts()["unsubscribed"] == 1
    mail.outbox.clear()
    second = make_broadcast(cast.campaign, name="December", building=cast.building_a)
    assert second.schedule(by=cast.leader) == 1
    sending.send_due()
    assert [m.to for m in mail.outbox] == [[_spanish.work_email]]


def test_an_unsubscribe_after_scheduling_stops_the_pending_message(cast):
    english, _spanish, _other = _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    Suppression.stop(
        "ANA@home.example", Suppression.Reason.UNSUBSCRIBED, campaign_id=cast.campaign.pk
    )
    sending.send_due()
    assert "ana@home.example" not in {m.to[0] for m in mail.outbox}
    assert Delivery.objects.get(recipient_email="ana@home.example").status == "cancelled"


def test_a_bounce_suppressed_after_claiming_is_still_not_sent(cast):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    token = sending.claim()
    Suppression.objects.create(email="ana@home.example", reason=Suppression.Reason.BOUNCED)
    assert sending.send_claimed(token) == 1
    assert "ana@home.example" not in {m.to[0] for m in mail.outbox}


def test_an_interrupted_handoff_is_not_sent_again(cast):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    sent = list(mail.outbox)
    # As if the worker died after the backend took the messages but before marking them.
    Delivery.objects.update(status="sending", lease_until=None, handoff_at="2026-01-01T00:00Z")
    Delivery.objects.update(lease_until="2000-01-01T00:00Z")
    sending.send_due()
    assert len(mail.outbox) == len(sent)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failure_is_retried_then_shown_and_try_again_sends_it(cast, monkeypatch):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a, spanish=False)
    broadcast.schedule(by=cast.leader)
    monkeypatch.setattr(sending.OUTBOX, "max_attempts", 1)

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    sending.send_due()
    assert broadcast.counts()["failed"] == 2
    monkeypatch.undo()
    assert broadcast.retry_failed() == 2
    sending.send_due()
    assert broadcast.counts()["sent"] == 2


def test_segments_by_support_level_tag_language_and_coming_to_an_action(cast):
    yes = f.make_member(
        cast.building_a, support_level=1, tags="parents, lunch", preferred_language="Spanish"
    )
    f.make_member(cast.building_a, support_level=3, tags="lunch")
    action = make_action(cast.campaign)
    Participation.objects.create(action=action, member=yes, coming=True)
    cases = [
        {"support_level": 1},
        {"tag": "parents"},
        {"member_language": "Spanish"},
        {"action": action},
    ]
    for filters in cases:
        broadcast = Broadcast(campaign=cast.campaign, **filters)
        assert [r.email for r in segments.recipients(broadcast)] == [yes.work_email], filters
        assert segments.count(broadcast) == 1


def test_stewards_and_partner_contacts_segments(cast):
    from partners.models import Contact

    Contact.objects.create(organisation=cast.organisation_x, name="Rosa", email="rosa@x.example")
    Contact.objects.create(organisation=cast.organisation_x, name="No email")
    stewards = Broadcast(campaign=cast.campaign, audience=Broadcast.Audience.STEWARDS)
    assert {r.email for r in segments.recipients(stewards)} == {
        "steward-a@test.example",
        "steward-b@test.example",
    }
    contacts = Broadcast(campaign=cast.campaign, audience=Broadcast.Audience.PARTNER_CONTACTS)
    assert [r.email for r in segments.recipients(contacts)] == ["rosa@x.example"]


def test_action_rsvps_segment_only_those_who_agreed_to_be_contacted(cast):
    from actions.models import Rsvp

    action = make_action(cast.campaign)
    Rsvp.objects.create(
        action=action, source="public", name="Yes", email="y@p.example", consent_to_contact=True
    )
    Rsvp.objects.create(action=action, source="public", name="No", email="n@p.example")
    broadcast = Broadcast(
        campaign=cast.campaign, audience=Broadcast.Audience.ACTION_RSVPS, action=action
    )
    assert [r.email for r in segments.recipients(broadcast)] == ["y@p.example"]


def test_links_are_counted_without_recording_who_unless_the_local_asks(cast):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a, spanish=False)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    link = Link.objects.get(broadcast=broadcast)
    assert link.url == "https://example.org/update"
    body = mail.outbox[0].body
    redirect = f"https://cg.test/r/{link.token}/"
    assert redirect in body and "https://example.org/update" not in body
    assert "?p=" not in body
    response = Client().get(f"/r/{link.token}/")
    assert response.status_code == 302 and response["Location"] == link.url
    assert broadcast.counts()["clicks"] == 1
    assert not Click.objects.exists()


def test_per_person_tracking_records_who_clicked(cast):
    _members(cast)
    BroadcastSettings.objects.create(local=cast.local, track_people=True)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a, spanish=False)
    broadcast.schedule(by=cast.leader)
    sending.send_due()
    message = mail.outbox[0]
    start = message.body.index("https://cg.test/r/")
    url = message.body[start:].split()[0].removeprefix("https://cg.test")
    Client().get(url)
    click = Click.objects.get()
    assert click.delivery.recipient_email == message.to[0]


def test_a_test_send_goes_to_the_leader_and_is_not_counted(cast):
    broadcast = make_broadcast(cast.campaign)
    broadcast.send_test(to=cast.leader)
    sending.send_due()
    assert [m.to for m in mail.outbox] == [["leader@test.example"]]
    assert broadcast.counts()["sent"] == 0
    assert broadcast.is_draft


def test_cancelling_stops_what_has_not_gone_out(cast):
    _members(cast)
    broadcast = make_broadcast(cast.campaign)
    broadcast.schedule(by=cast.leader)
    assert broadcast.cancel(by=cast.leader) == 3
    sending.send_due()
    assert mail.outbox == []


def test_scheduling_twice_is_refused(cast):
    from django.core.exceptions import ValidationError

    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign)
    broadcast.schedule(by=cast.leader)
    with pytest.raises(ValidationError):
        Broadcast.objects.get(pk=broadcast.pk).schedule(by=cast.leader)


def test_language_codes_from_the_roster_spelling():
    assert segments.language_code("Spanish") == "es"
    assert segments.language_code("español") == "es"
    assert segments.language_code("es") == "es"
    assert segments.language_code("Hmong") == ""


def test_the_webhook_needs_the_signature_and_stops_sends(cast, settings):
    import hashlib
    import hmac
    import json

    settings.BROADCAST_WEBHOOK_SECRET = "s3cret"
    english, _spanish, _other = _members(cast)
    broadcast = make_broadcast(cast.campaign)
    broadcast.schedule(by=cast.leader)
    body = json.dumps({"events": [{"type": "bounce", "email": "Ana@home.example"}]}).encode()
    url = reverse("broadcasts:webhook")
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, body, content_type="application/json").status_code == 403
    bad = {"HTTP_X_SIGNATURE": "0" * 64}
    assert client.post(url, body, content_type="application/json", **bad).status_code == 403
    good = {"HTTP_X_SIGNATURE": hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()}
    assert client.post(url, body, content_type="application/json", **good).status_code == 200
    assert Suppression.objects.get(email="ana@home.example").reason == "bounced"
    sending.send_due()
    assert "ana@home.example" not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 2


def test_the_unsubscribe_page_names_nobody_and_a_forged_token_finds_nothing(cast):
    from broadcasts.composing import unsubscribe_token

    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    delivery = Delivery.objects.get(recipient_email="ana@home.example")
    token = unsubscribe_token(delivery.pk)
    page = Client().get(reverse("broadcasts:unsubscribe", args=[token])).content.decode()
    assert cast.campaign.name in page and "ana@home.example" not in page
    forged = token.split(":")[0] + ":" + "x" * 43
    assert Client().get(reverse("broadcasts:unsubscribe", args=[forged])).status_code == 404
    assert not Suppression.objects.exists()


def test_the_unsubscribe_page_speaks_the_messages_language(cast):
    from broadcasts.composing import unsubscribe_token

    spanish = f.make_member(cast.building_a, preferred_language="Spanish")
    broadcast = make_broadcast(cast.campaign)
    broadcast.schedule(by=cast.leader)
    delivery = Delivery.objects.get(recipient_email=spanish.work_email)
    url = reverse("broadcasts:unsubscribe", args=[unsubscribe_token(delivery.pk)])
    assert "¿Dejar de recibir novedades" in Client().get(url).content.decode()


def test_a_stewards_broadcast_is_written_row_by_row_and_skips_the_unsubscribed(cast):
    Suppression.stop("steward-b@test.example", "unsubscribed", campaign_id=cast.campaign.pk)
    broadcast = make_broadcast(cast.campaign, audience=Broadcast.Audience.STEWARDS)
    assert broadcast.schedule(by=cast.leader) == 1
    sending.send_due()
    assert [m.to for m in mail.outbox] == [["steward-a@test.example"]]


def test_a_broadcast_is_sent_only_when_its_last_delivery_ends_and_again_after_a_retry(
    cast, monkeypatch
):
    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a, spanish=False)
    broadcast.schedule(by=cast.leader)
    token = sending.claim(limit=1)
    assert sending.send_claimed(token) == 1
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SCHEDULED and broadcast.finished_at is None
    # A test copy going out does not finish the broadcast.
    broadcast.send_test(to=cast.leader)
    monkeypatch.setattr(sending.OUTBOX, "max_attempts", 1)

    def refuse(self, messages):
        raise OSError("mail server down")

    with monkeypatch.context() as refusing:
        refusing.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        sending.send_due()
    broadcast.refresh_from_db()
    # Failed for good is an end too: nothing is left to send.
    assert broadcast.status == Broadcast.Status.SENT and broadcast.finished_at is not None
    assert broadcast.retry_failed() == 2
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SCHEDULED and broadcast.finished_at is None
    sending.send_due()
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SENT
    assert broadcast.counts()["sent"] == 2


def test_each_copy_gets_the_same_unsubscribe_address_as_reversing_it(cast):
    from broadcasts.composing import Batch, unsubscribe_url

    _members(cast)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader)
    batch = Batch()
    for delivery in broadcast.deliveries.all():
        assert batch.unsubscribe_url(delivery.pk) == unsubscribe_url(delivery.pk)
