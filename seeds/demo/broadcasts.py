"""The demo's broadcasts: the October bargaining update, sent to one school's members in
English and Spanish (with its clicks, one unsubscribe and one address that bounced), a draft
to the stewards about the school-board meeting, a draft thanking the petition's signers, and
the parents' group's own update to the supporters it brought, sent yesterday (one of them
unsubscribed from the parents' updates), and a draft asking one school's members to answer the
bargaining survey, each by their own link."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from broadcasts import segments
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
SIGNERS_EN = (
    "Thank you for signing for a counselor in every school. The Board of Trustees meets on "
    "the 12th at 6pm: come with us, and we will hand them every signature."
)
SIGNERS_ES = (
    "Gracias por firmar por un consejero en cada escuela. La Junta de Fideicomisarios se reúne "
    "el día 12 a las 6 de la tarde: venga con nosotros y les entregaremos todas las firmas."
)
PARENTS_EN = (
    "Dear families,\n\n"
    "Thank you for signing with us for a counselor in every school. The board meets on the "
    "12th at 6pm: we will sit together, near the front. Bring your children's stories.\n\n"
    "The Twin Rivers parents' group"
)
PARENTS_ES = (
    "Queridas familias:\n\n"
    "Gracias por firmar con nosotros por un consejero en cada escuela. La junta se reúne el "
    "día 12 a las 6 de la tarde: nos sentaremos juntos, cerca del frente. Traigan las "
    "historias de sus hijos.\n\n"
    "El grupo de familias de Twin Rivers"
)
SURVEY_EN = (
    "Dear colleagues,\n\n"
    "What should we fight for at the table? Your answers to the bargaining survey shape our "
    "proposals. It takes three minutes, and the link is yours alone: {survey_link}\n\n"
    "In solidarity,\nThe TRUE bargaining team"
)
SURVEY_ES = (
    "Estimados colegas:\n\n"
    "¿Por qué debemos luchar en la mesa? Sus respuestas a la encuesta de negociación dan forma "
    "a nuestras propuestas. Son tres minutos, y el enlace es solo suyo: {survey_link}\n\n"
    "En solidaridad,\nEl equipo de negociación de TRUE"
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
    signers = _petition_signers(context)
    parents = _parents_update(context)
    survey = _survey_links(context)
    context["broadcasts"] = [b for b in (update, draft, signers, parents, survey) if b is not None]


def _texts(broadcast: Broadcast, english: tuple[str, str], spanish: tuple[str, str]) -> None:
    for language, (subject, body) in (("en", english), ("es", spanish)):
        BroadcastText.objects.create(
            broadcast=broadcast, language=language, subject=subject, body=body
        )


def _petition_signers(context: dict) -> Broadcast | None:
    """A draft to the petition's signers: the members who signed, and the supporters who
    agreed to the campaign's updates."""
    from reach.models import Petition

    from .reach import SLUG

    campaign = context["campaign"]
    petition = Petition.objects.filter(campaign=campaign, slug=SLUG).first()
    if petition is None:
        return None
    broadcast, created = Broadcast.objects.get_or_create(
        campaign=campaign,
        name="Petition signers: the board meets on the 12th",
        defaults={
            "audience": Broadcast.Audience.PETITION_SIGNERS,
            "petition": petition,
            "created_by": context["leader"],
        },
    )
    if created:
        _texts(
            broadcast,
            ("Thank you for signing", SIGNERS_EN),
            ("Gracias por firmar", SIGNERS_ES),
        )
    return broadcast


def _survey_links(context: dict) -> Broadcast | None:
    """A draft to one school's members, each getting their own link to the bargaining survey."""
    from surveys.models import Survey

    campaign = context["campaign"]
    survey = Survey.objects.filter(
        campaign=campaign, audience=Survey.Audience.MEMBERS, status=Survey.Status.OPEN
    ).first()
    if survey is None:
        return None
    broadcast, created = Broadcast.objects.get_or_create(
        campaign=campaign,
        name="The bargaining survey: your own link",
        defaults={
            "audience": Broadcast.Audience.MEMBERS,
            "building": context["buildings"][2],
            "survey": survey,
            "created_by": context["leader"],
        },
    )
    if created:
        _texts(
            broadcast,
            ("Three minutes for our demands", SURVEY_EN),
            ("Tres minutos para nuestras demandas", SURVEY_ES),
        )
    return broadcast


def _parents_update(context: dict) -> Broadcast | None:
    """The parents' group wrote to the supporters it brought who agreed to its updates."""
    parents, partner = context["organisations"][0], context.get("partner")
    broadcast, created = Broadcast.objects.get_or_create(
        campaign=context["campaign"],
        organisation=parents,
        name="Parents: sit with us at the board on the 12th",
        defaults={
            "audience": Broadcast.Audience.PARTNER_SUPPORTERS,
            "created_by": partner,
        },
    )
    if not created:
        return broadcast
    _texts(
        broadcast,
        ("Sit with us at the board on the 12th", PARENTS_EN),
        ("Siéntese con nosotros en la junta el día 12", PARENTS_ES),
    )
    if not segments.count(broadcast):
        return broadcast
    broadcast.schedule(by=partner)
    sent_at = timezone.now() - timedelta(days=1)
    Broadcast.objects.filter(pk=broadcast.pk).update(send_at=sent_at, scheduled_at=sent_at)
    Delivery.objects.filter(broadcast=broadcast).update(
        status=Delivery.Status.SENT, sent_at=sent_at, attempts=1, next_attempt_at=sent_at
    )
    # One family asked for no more of the parents' emails: their consent is withdrawn.
    last = broadcast.deliveries.order_by("pk").last()
    last.unsubscribe()
    return broadcast


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
