"""Confirming an online signature by email (double opt-in), through the outbox that sends
reminders: the email is a ``Reminder`` row of kind ``signature`` written in the transaction
that records the signature, sent exactly once by ``actions.reminders``.

The row names the signature only by its number; the link is a signed token of that number,
so the outbox and the address hold no personal data beyond the recipient's address, and a
link cannot be made up for someone else's signature."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Reminder
from campaigns.content import DEFAULT_LANGUAGE, reading_in
from campaigns.zones import local_time
from config.enqueue import enqueue

EVENT_LABEL = "reach.Signature"
CONFIRM_SALT = "reach.signature-confirm"
# Long enough for a reader back from a week away; the petition's end closes it anyway.
CONFIRM_MAX_AGE = 60 * 60 * 24 * 30


def confirm_token(signature_id: int) -> str:
    return signing.dumps(signature_id, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, int) else None


def confirm_url(signature) -> str:
    petition = signature.petition
    return settings.SITE_URL + reverse(
        "petition_public:confirm",
        args=[petition.campaign.slug, petition.slug, confirm_token(signature.pk)],
    )


def plan_confirmation(signature, *, first: bool = False) -> Reminder:
    """Put the confirmation email in the outbox; call inside the transaction that records the
    signature (``first`` when it made the signature, which then has no email yet). Signing
    again before confirming sends one more email (the first may be lost), never more than
    one per signing."""
    from actions.tasks import send_due_reminders

    now = timezone.now()
    row = {
        "campaign_id": signature.petition.campaign_id,
        "event_label": EVENT_LABEL,
        "event_id": signature.pk,
        "kind": Reminder.Kind.SIGNATURE,
        "recipient_email": signature.supporter.email,
        "reason": _("you signed this petition"),
        "due_at": now,
        "next_attempt_at": now,
    }
    if first:
        reminder = Reminder.objects.create(key=f"{EVENT_LABEL}:{signature.pk}:0", **row)
    else:
        sent_before = Reminder.objects.filter(
            event_label=EVENT_LABEL, event_id=signature.pk
        ).count()
        reminder, _created = Reminder.objects.get_or_create(
            key=f"{EVENT_LABEL}:{signature.pk}:{sent_before}", defaults=row
        )
    enqueue(send_due_reminders)
    return reminder


def _signature(reminder: Reminder):
    from .models import Signature

    return (
        Signature.objects.select_related("petition__campaign__local", "supporter")
        .filter(pk=reminder.event_id)
        .first()
    )


def why_not_send(reminder: Reminder) -> str:
    signature = _signature(reminder)
    if signature is None:
        return _("The signature was removed before its confirmation could be sent.")
    if signature.is_counted:
        return _("The signature was already confirmed.")
    return ""


def email_language(signature) -> str:
    """The language the signer read the petition in, while their local still publishes in
    it (``Local.content_languages``); else the default one. Its content (the petition's
    title) is in that language, the rest where the interface has a catalogue for it."""
    codes = signature.petition.campaign.local.public_language_codes
    return signature.language if signature.language in codes else DEFAULT_LANGUAGE


def confirmation_message(reminder: Reminder) -> EmailMultiAlternatives:
    """The email with the link that counts the signature, in the signer's language
    (``email_language``)."""
    signature = _signature(reminder)
    petition = signature.petition
    language = email_language(signature)
    with reading_in(language), local_time(petition.campaign.local):
        context = {
            "petition": petition,
            "text": petition.text_for(language),
            "local": petition.campaign.local,
            "name": signature.supporter.display_name,
            "url": confirm_url(signature),
        }
        subject = " ".join(render_to_string("emails/signature_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/signature_body.txt", context),
            to=[reminder.recipient_email],
            headers={
                "Message-ID": reminder.message_id,
                "X-Common-Good-Reminder": reminder.key,
                "Content-Language": language,
            },
        )
        message.attach_alternative(
            render_to_string("emails/signature_body.html", context), "text/html"
        )
    return message
