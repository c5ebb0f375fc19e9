"""The demo's broadcasts: the October bargaining update, sent to one school's members in
English and Spanish (with its clicks, one unsubscribe and one address that bounced), and a
draft to the stewards about the school-board meeting."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from broadcasts.models import (
    Broadcast,
    BroadcastSettings,
    BroadcastText,
    Delivery,
    Link,
    Suppression,
)

UPDATE_EN = (
    "Dear colleagues,\n\n"
    "At Thursday's session the district again refused to discuss class sizes and nurses in "
    "every school. Our bargaining team answered with the proposal you helped write at the "
    "listening sessions.\n\n"
    "Read what each side proposed: {open_url}\n\n"
    "Wear red on Thursday, and bring a parent to the board meeting on the 12th.\n\n"
    "In solidarity,\nThe TRUE bargaining team"
)
UPDATE_ES = (
    "Estimados colegas:\n\n"
    "En la sesión del jueves el distrito volvió a negarse a hablar del tamaño de las clases y "
    "de enfermeras en cada escuela. Nuestro equipo respondió con la propuesta que ustedes "
    "ayudaron a escribir en las sesiones de escucha.\n\n"
    "Lean lo que propuso cada parte: {open_url}\n\n"
    "Vístanse de rojo el jueves y traigan a una madre o un padre a la reunión de la junta el "
    "día 12.\n\n"
    "En solidaridad,\nEl equipo de negociación de TRUE"
)
STEWARDS_EN = (
    "Stewards: please make sure every member in your building knows about the school-board "
    "meeting on the 12th. Log each conversation so we can see where we are strong."
)
TEXT_TEMPLATE = (
    "Hi {first_name}, it's your TRUE steward. The board meets on the 12th at 6pm: can we count "
    "on you to come and wear red?"
)


def seed(context: dict) -> None:
    campaign, leader = context["campaign"], context["leader"]
    BroadcastSettings.objects.get_or_create(
        local=context["local"], defaults={"text_template": TEXT_TEMPLATE}
    )
    update, created = Broadcast.objects.get_or_create(
        campaign=campaign,
        name="October bargaining update",
        defaults={
            "audience": Broadcast.Audience.MEMBERS,
            "building": context["buildings"][0],
            "created_by": leader,
        },
    )
    if created:
        open_url = settings.SITE_URL + reverse("open:campaign", args=[campaign.slug])
        BroadcastText.objects.create(
            broadcast=update,
            language="en",
            subject="What happened at the table",
            body=UPDATE_EN.format(open_url=open_url),
        )
        BroadcastText.objects.create(
            broadcast=update,
            language="es",
            subject="Lo que pasó en la mesa",
            body=UPDATE_ES.format(open_url=open_url),
        )
        update.schedule(by=leader)
        _as_sent(update)
    draft, created = Broadcast.objects.get_or_create(
        campaign=campaign,
        name="Stewards: the board meeting on the 12th",
        defaults={"audience": Broadcast.Audience.STEWARDS, "created_by": leader},
    )
    if created:
        BroadcastText.objects.create(
            broadcast=draft, language="en", subject="Board meeting on the 12th", body=STEWARDS_EN
        )
    context["broadcasts"] = [update, draft]


def _as_sent(broadcast: Broadcast) -> None:
    """What the workers would have done two days ago: every message out but one that bounced;
    a few readers followed the link and one unsubscribed."""
    sent_at = timezone.now() - timedelta(days=2)
    Broadcast.objects.filter(pk=broadcast.pk).update(
        send_at=sent_at,
        scheduled_at=sent_at,
        status=Broadcast.Status.SENT,
        finished_at=sent_at + timedelta(minutes=3),
    )
    deliveries = broadcast.deliveries.order_by("pk")
    Delivery.objects.filter(broadcast=broadcast).update(
        status=Delivery.Status.SENT, sent_at=sent_at, attempts=1, next_attempt_at=sent_at
    )
    bounced = deliveries.first()
    if bounced is not None:
        Delivery.objects.filter(pk=bounced.pk).update(
            status=Delivery.Status.FAILED,
            sent_at=None,
            attempts=5,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
        )
    unsubscribed = deliveries.last()
    if unsubscribed is not None and unsubscribed != bounced:
        Suppression.objects.get_or_create(
            email=unsubscribed.recipient_email,
            campaign=broadcast.campaign,
            defaults={"reason": Suppression.Reason.UNSUBSCRIBED},
        )
        Delivery.objects.filter(pk=unsubscribed.pk).update(unsubscribed_at=sent_at)
    Link.objects.filter(broadcast=broadcast).update(clicks=F("clicks") + 37)
