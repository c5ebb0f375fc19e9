"""Composing a reminder's message: the text rendered once per batch for each event, kind, offset
and language, each copy filled with its recipient; and the signed unsubscribe links."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.languages import interface_language
from campaigns.zones import local_time

from ..models import Reminder, Unsubscribe
from ..models.reminder import COMPOSED_BY_MODEL
from . import decisions
from .planning import rsvp_cancel_url

UNSUBSCRIBE_SALT = "actions.unsubscribe"


def _unsubscribe_signer() -> signing.Signer:
    return signing.Signer(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(email: str, stream: str) -> str:
    """A link token naming the stream and the address, signed so it cannot be forged. It never
    expires: a reminder read months later must still let its reader stop the next ones."""
    return _unsubscribe_signer().sign_object([stream, email.lower()])


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        value = _unsubscribe_signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    stream, email = value
    if stream not in Unsubscribe.Stream.values or not email:
        return None
    return email, stream


TEMPLATES = {
    Reminder.Kind.REMINDER: "actions/emails/reminder",
    Reminder.Kind.CANCELLATION: "actions/emails/cancelled",
    Reminder.Kind.DIGEST: "actions/emails/digest",
    Reminder.Kind.CONFIRMATION: "actions/emails/confirmation",
    Reminder.Kind.MOVED: "actions/emails/moved",
}
# The reminders of an event with a text of its own, by the event's label.
OWN_REMINDER_TEMPLATES = {decisions.LABEL: decisions.REMINDER_TEMPLATE}


def template_for(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.REMINDER:
        return OWN_REMINDER_TEMPLATES.get(reminder.event_label, TEMPLATES[reminder.kind])
    return TEMPLATES[reminder.kind]


# Stand-ins for the recipient's details: a reminder's text is rendered once per event, kind
# and offset, and each copy gets its recipient's name, reason and unsubscribe link filled in.
# Rendering 36,000 templates would otherwise cost more than everything else together.
_SLOTS = {
    "name": "\ue000name\ue001",
    "email": "\ue000email\ue001",
    "reason": "\ue000reason\ue001",
    "unsubscribe": "\ue000unsubscribe\ue001",
    "cancel": "\ue000cancel\ue001",
}


@dataclass
class Batch:
    """What sending one batch looks up once: each event, and each text rendered per event,
    kind, offset and language. A batch starts empty, so an event cancelled or edited since the
    last batch is read afresh, and nothing outlives the batch."""

    events: dict[tuple[str, int], object] = field(default_factory=dict)
    rendered: dict[tuple, tuple[str, str, str]] = field(default_factory=dict)


def language_of(reminder: Reminder) -> str:
    """The language a reminder is written in: its recipient's when the interface has it, else
    the site's default (a member who reads Hmong gets English until Hmong is turned on)."""
    return interface_language(reminder.language)


def _render(name: str, context: dict, local, language: str) -> tuple[str, str, str]:
    zone = local_time(local) if local is not None else contextlib.nullcontext()
    with translation.override(language), zone:
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        text = render_to_string(f"{name}_body.txt", context)
        html = render_to_string(f"{name}_body.html", context)
    return subject, text, html


def event_of(reminder: Reminder, batch: Batch | None = None):
    """The event a reminder is about: its action, or any object with ``title``, ``starts_at``
    and ``campaign`` named by ``event_label``/``event_id`` (a bargaining session, say)."""
    if reminder.action_id is not None:
        return reminder.action
    if not reminder.event_label or reminder.event_id is None:
        return None
    events = batch.events if batch is not None else {}
    key = (reminder.event_label, reminder.event_id)
    if key not in events:
        model = apps.get_model(reminder.event_label)
        events[key] = (
            model.objects.select_related("campaign__local").filter(pk=reminder.event_id).first()
        )
    return events[key]


def _event_context(reminder: Reminder, batch: Batch) -> dict:
    event = event_of(reminder, batch)
    context = {"event": event, "site_url": settings.SITE_URL}
    if event is not None:
        # Aware datetimes: the templates show them in the local's zone, which build_message
        # makes the active one.
        context["starts_at"] = event.starts_at
        context["ends_at"] = getattr(event, "ends_at", None)
    return context


def _local_of(reminder: Reminder, batch: Batch):
    event = event_of(reminder, batch)
    if event is not None:
        return event.campaign.local
    if reminder.campaign_id is not None:
        return reminder.campaign.local
    return None


def _fill(text: str, values: dict[str, str], *, html: bool) -> str:
    for slot, value in values.items():
        text = text.replace(_SLOTS[slot], escape(value) if html else value)
    return text


@functools.lru_cache
def _unsubscribe_base(site_url: str) -> str:
    return site_url + reverse("actions:unsubscribe", args=["-"])[:-2]


def unsubscribe_url(email: str, stream: str) -> str:
    return _unsubscribe_base(settings.SITE_URL) + unsubscribe_token(email, stream) + "/"


def build_message(reminder: Reminder, batch: Batch | None = None) -> EmailMultiAlternatives:
    if reminder.kind in COMPOSED_BY_MODEL:
        return apps.get_model(reminder.event_label).outbox_message(reminder)
    batch = batch if batch is not None else Batch()
    with local_time(_local_of(reminder, batch)):
        message = _build_message(reminder, batch)
    if reminder.kind == Reminder.Kind.CONFIRMATION:
        from ..ics import calendar_file

        message.attach("action.ics", calendar_file(event_of(reminder, batch)), "text/calendar")
    return message


def _build_message(reminder: Reminder, batch: Batch) -> EmailMultiAlternatives:
    unsubscribe_link = unsubscribe_url(reminder.recipient_email, reminder.stream)
    name = template_for(reminder)
    if reminder.kind == Reminder.Kind.DIGEST:
        context = {"reminder": reminder, "unsubscribe_url": unsubscribe_link}
        from ..digest import digest_context

        context.update(_event_context(reminder, batch), **digest_context(reminder))
        subject, text, html = _render(
            name, context, _local_of(reminder, batch), language_of(reminder)
        )
    else:
        event = event_of(reminder, batch)
        language = language_of(reminder)
        key = (
            name,
            language,
            reminder.event_label,
            event.pk,
            getattr(event, "updated_at", None),
            event.starts_at,
            reminder.offset_minutes,
            reminder.note,
            reminder.previous_starts_at,
        )
        if key not in batch.rendered:
            stand_in = {
                "recipient_name": _SLOTS["name"],
                "recipient_email": _SLOTS["email"],
                "reason": _SLOTS["reason"],
                "note": reminder.note,
                "previous_starts_at": reminder.previous_starts_at,
            }
            context = {
                "reminder": stand_in,
                "unsubscribe_url": _SLOTS["unsubscribe"],
                "cancel_url": _SLOTS["cancel"],
            }
            context.update(_event_context(reminder, batch))
            batch.rendered[key] = _render(name, context, _local_of(reminder, batch), language)
        subject, text, html = batch.rendered[key]
        values = {
            "name": reminder.recipient_name or reminder.recipient_email,
            "email": reminder.recipient_email,
            "reason": reminder.reason,
            "unsubscribe": unsubscribe_link,
        }
        if reminder.kind == Reminder.Kind.CONFIRMATION:
            values["cancel"] = rsvp_cancel_url(reminder.rsvp_id) if reminder.rsvp_id else ""
        text, html = _fill(text, values, html=False), _fill(html, values, html=True)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[reminder.recipient_email],
        headers={
            "Message-ID": reminder.message_id,
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Common-Good-Reminder": reminder.key,
        },
    )
    message.attach_alternative(html, "text/html")
    return message
