"""A broadcast's message: rendered once per language for each batch, each copy filled with its
recipient's unsubscribe link; links rewritten through the click-counting redirect."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from campaigns.zones import local_time

from .models import Broadcast, BroadcastSettings, Delivery, Link

URL_PATTERN = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
UNSUBSCRIBE_SALT = "broadcasts.unsubscribe"
CLICK_SALT = "broadcasts.click"

# Stand-ins for what differs per recipient, replaced in each copy of the rendered text.
_UNSUBSCRIBE = "\ue000unsubscribe\ue001"
_PERSON = "\ue000person\ue001"
_SURVEY = "\ue000survey\ue001"

# What a leader writes in a members' broadcast where each member's own survey link goes.
SURVEY_PLACEHOLDER = "{survey_link}"


def unsubscribe_token(delivery_id: int) -> str:
    """Names the delivery only (never the address), signed so it cannot be forged; it never
    expires, so a message read months later still lets its reader stop the next ones."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(delivery_id)


def read_unsubscribe_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(delivery_id: int) -> str:
    return settings.SITE_URL + reverse(
        "broadcasts:unsubscribe", args=[unsubscribe_token(delivery_id)]
    )


def person_token(delivery_id: int) -> str:
    return signing.Signer(salt=CLICK_SALT).sign(str(delivery_id))


def read_person_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=CLICK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def survey_link(token: str | None) -> str:
    """The member's personal link to the survey (its token from ``Survey.link_tokens``); a
    test or preview, which goes to no member, says where the link will be instead of giving
    someone's."""
    if token is None:
        return gettext("(each member's own survey link)")
    return settings.SITE_URL + reverse("surveys:personal", args=[token])


def _redirect(link: Link) -> str:
    return settings.SITE_URL + reverse("click", args=[link.token]) + _PERSON


def _html_paragraphs(parts: list[str]) -> str:
    html = "".join(parts)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", html) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def bodies(body: str, links: dict[str, Link]) -> tuple[str, str]:
    """The plain text and HTML of ``body`` with each link going through its redirect."""
    text_parts: list[str] = []
    html_parts: list[str] = []
    position = 0
    for match in URL_PATTERN.finditer(body):
        before = body[position : match.start()]
        url = match.group(0)
        link = links.get(url)
        target = _redirect(link) if link else url
        text_parts += [before, target]
        html_parts += [escape(before), f'<a href="{escape(target)}">{escape(url)}</a>']
        position = match.end()
    text_parts.append(body[position:])
    html_parts.append(escape(body[position:]))
    return "".join(text_parts), _html_paragraphs(html_parts)


@dataclass
class Batch:
    """What one batch reads once: each broadcast with its texts and links, each rendering, and
    the signers and the unsubscribe address around its token (so a copy costs no ``reverse``)."""

    broadcasts: dict[int, Broadcast] = field(default_factory=dict)
    links: dict[int, dict[str, Link]] = field(default_factory=dict)
    tracking: dict[int, bool] = field(default_factory=dict)
    rendered: dict[tuple[int, str], tuple[str, str, str]] = field(default_factory=dict)
    unsubscribe_signer: signing.Signer = field(
        default_factory=lambda: signing.Signer(salt=UNSUBSCRIBE_SALT)
    )
    person_signer: signing.Signer = field(default_factory=lambda: signing.Signer(salt=CLICK_SALT))
    _unsubscribe_around: tuple[str, str] | None = None

    survey_tokens: dict[int, str] = field(default_factory=dict)

    def survey_token(self, broadcast: Broadcast, delivery: Delivery) -> str | None:
        """The personal survey link token of the delivery's member: made or read once for
        every delivery of the broadcast being sent now, rather than once a message."""
        if delivery.member_id is None:
            return None
        if delivery.member_id not in self.survey_tokens:
            sending = Delivery.objects.filter(
                broadcast_id=delivery.broadcast_id,
                status=Delivery.Status.SENDING,
                member__isnull=False,
            ).values_list("member_id", flat=True)
            members = {delivery.member_id, *sending}
            self.survey_tokens.update(broadcast.survey.link_tokens(members))
        return self.survey_tokens.get(delivery.member_id)

    def broadcast(self, broadcast_id: int) -> Broadcast:
        if broadcast_id not in self.broadcasts:
            broadcast = (
                Broadcast.objects.select_related("campaign__local", "organisation", "survey")
                .prefetch_related("texts")
                .get(pk=broadcast_id)
            )
            self.broadcasts[broadcast_id] = broadcast
            self.links[broadcast_id] = {link.url: link for link in broadcast.links.all()}
            self.tracking[broadcast_id] = BroadcastSettings.for_local(
                broadcast.campaign.local_id
            ).track_people
        return self.broadcasts[broadcast_id]

    def unsubscribe_url(self, delivery_id: int) -> str:
        """``unsubscribe_url(delivery_id)``: a token's characters (URL-safe base64 and ":")
        are the same reversed or not, so the address is reversed once per batch."""
        if self._unsubscribe_around is None:
            url = settings.SITE_URL + reverse("broadcasts:unsubscribe", args=["T"])
            head, _t, tail = url.rpartition("T")
            self._unsubscribe_around = (head, tail)
        head, tail = self._unsubscribe_around
        return head + self.unsubscribe_signer.sign_object(delivery_id) + tail

    def person_token(self, delivery_id: int) -> str:
        return self.person_signer.sign(str(delivery_id))


def render(broadcast: Broadcast, language: str, links: dict[str, Link]) -> tuple[str, str, str]:
    """Subject, text and HTML in ``language`` (or the default's text), with stand-ins."""
    text = broadcast.text_for(language)
    language = text.language
    body = text.body
    if broadcast.survey_id:
        body = body.replace(SURVEY_PLACEHOLDER, _SURVEY)
    plain, html = bodies(body, links)
    context = {
        "broadcast": broadcast,
        "subject": text.subject,
        "local": broadcast.campaign.local,
        "organisation": broadcast.organisation,
        "body_text": plain,
        "body_html": mark_safe(html),  # noqa: S308 - built from escaped parts above
        "unsubscribe_url": _UNSUBSCRIBE,
    }
    with translation.override(language), local_time(broadcast.campaign.local):
        body_text = render_to_string("broadcasts/emails/broadcast_body.txt", context)
        body_html = render_to_string("broadcasts/emails/broadcast_body.html", context)
    return " ".join(text.subject.split()), body_text, body_html


def build_message(delivery: Delivery, batch: Batch | None = None) -> EmailMultiAlternatives:
    batch = batch if batch is not None else Batch()
    broadcast = batch.broadcast(delivery.broadcast_id)
    key = (broadcast.pk, delivery.language)
    if key not in batch.rendered:
        batch.rendered[key] = render(broadcast, delivery.language, batch.links[broadcast.pk])
    subject, text, html = batch.rendered[key]
    unsubscribe = batch.unsubscribe_url(delivery.pk)
    person = f"?p={batch.person_token(delivery.pk)}" if batch.tracking[broadcast.pk] else ""
    text = text.replace(_UNSUBSCRIBE, unsubscribe).replace(_PERSON, person)
    html = html.replace(_UNSUBSCRIBE, escape(unsubscribe)).replace(_PERSON, escape(person))
    if broadcast.survey_id and _SURVEY in text:
        with translation.override(delivery.language or broadcast.default_language):
            survey = survey_link(batch.survey_token(broadcast, delivery))
        text = text.replace(_SURVEY, survey)
        linked = (
            f'<a href="{escape(survey)}">{escape(survey)}</a>'
            if "://" in survey
            else escape(survey)
        )
        html = html.replace(_SURVEY, linked)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[delivery.recipient_email],
        headers={
            "Message-ID": delivery.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Common-Good-Broadcast": str(broadcast.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
