"""The demo's petition: counselors in every school, to the Board of Trustees, with some forty
signatures from parents on line (confirmed), from a paper sheet a steward typed in, and from
members, who count in the petition's structure test."""

from __future__ import annotations

from datetime import timedelta

from campaigns.models import Member
from demands.models import Target
from reach.models import Petition

SLUG = "counselors-in-every-school"
TEXTS = {
    "en": (
        "A counselor in every school",
        "To the Twin Rivers USD Board of Trustees:\n\n"
        "One counselor for 600 students is not care, it is triage. Our children carry grief, "
        "housing loss and fear of immigration raids into class every day. We, parents, "
        "students, educators and neighbours, ask the Board to fund a full-time counselor in "
        "every school, starting with the schools that have none, in the 2027-28 budget.",
    ),
    "es": (
        "Un consejero en cada escuela",
        "A la Junta de Fideicomisarios del Distrito Escolar Unificado de Twin Rivers:\n\n"
        "Un consejero para 600 estudiantes no es atención, es urgencia. Nuestros hijos llevan "
        "a clase cada día el duelo, la pérdida de vivienda y el miedo a las redadas. Nosotros, "
        "familias, estudiantes, educadores y vecinos, pedimos a la Junta que financie un "
        "consejero de tiempo completo en cada escuela, empezando por las que no tienen "
        "ninguno, en el presupuesto 2027-28.",
    ),
}
# Parents who signed on line: name, ZIP code, language, through the partner's link.
ONLINE = [
    ("Maria Lopez", "95815", "es", True),
    ("James Carter", "95838", "en", False),
    ("Guadalupe Ramirez", "95815", "es", True),
    ("Tanya Brooks", "95673", "en", False),
    ("Nhia Vang", "95838", "en", True),
    ("Rosa Hernandez", "95660", "es", True),
    ("Kevin Nguyen", "95842", "en", False),
    ("Aisha Mohammed", "95815", "en", True),
    ("Luis Ortega", "95838", "es", False),
    ("Brittany Hall", "95673", "en", False),
    ("Pao Lee", "95660", "en", True),
    ("Esperanza Cruz", "95815", "es", True),
    ("Darnell Washington", "95838", "en", False),
    ("Sofia Morales", "95842", "es", True),
    ("Tom Fischer", "95673", "en", False),
    ("Yer Xiong", "95660", "en", True),
    ("Carmen Flores", "95815", "es", False),
    ("Michelle Park", "95842", "en", False),
    ("Jose Gutierrez", "95838", "es", True),
    ("Linda Chavez", "95660", "es", False),
    ("Ray Thompson", "95673", "en", False),
    ("Fatima Rahimi", "95815", "en", True),
]
# A sheet from the back-to-school night, typed in by the steward.
PAPER = [
    ("Angela Diaz", "95815"),
    ("Marcus Bell", "95838"),
    ("Teresa Vargas", "95660"),
    ("Bao Thao", "95660"),
    ("Karen White", "95673"),
    ("Miguel Santos", "95815"),
    ("Joyce Harris", "95842"),
    ("Ricardo Mendez", "95838"),
    ("Hannah Kim", "95673"),
    ("Omar Haddad", "95815"),
    ("Gloria Reyes", "95660"),
    ("Steve Miller", "95842"),
]
MEMBERS_WHO_SIGN = 8


def seed(context: dict) -> None:
    campaign, today = context["campaign"], context["today"]
    if Petition.objects.filter(campaign=campaign, slug=SLUG).exists():
        return
    board = Target.objects.get(campaign=campaign, name="Twin Rivers USD Board of Trustees")
    petition = Petition.start(
        campaign,
        by=context["leader"],
        texts=TEXTS,
        target=board,
        slug=SLUG,
        goal=100,
        ends_on=today + timedelta(days=45),
    )
    petition.publish()
    parents = context["organisations"][0]
    for n, (name, postcode, language, via_partner) in enumerate(ONLINE):
        local_part = name.lower().replace(" ", ".")
        signature = petition.sign_online(
            name=name,
            email=f"{local_part}@mail.example",
            postcode=postcode,
            language=language,
            brought_by=parents if via_partner else None,
            campaign_updates_wording=_wording(campaign.local, language) if n % 3 else "",
            # Those who came through the parents' link ticked their updates' box too.
            partner_updates_wording=_partner_wording(parents, language) if via_partner else "",
        )
        signature.confirm()
    petition.add_paper_signatures(
        [{"name": name, "email": "", "postcode": postcode} for name, postcode in PAPER],
        by=context["steward"],
    )
    members = Member.objects.filter(local=campaign.local, building__in=context["buildings"][:2])
    petition.add_paper_signatures(
        [
            {"name": member.name, "email": member.work_email, "postcode": ""}
            for member in members.order_by("employee_id")[:MEMBERS_WHO_SIGN]
        ],
        by=context["steward"],
    )
    context["petition"] = petition


def _partner_wording(organisation, language: str) -> str:
    from django.utils import translation

    from reach.forms import SignForm

    with translation.override(language):
        return SignForm.partner_wording(organisation)


def _wording(local, language: str) -> str:
    from django.utils import translation

    from reach.forms import SignForm

    with translation.override(language):
        return SignForm.campaign_wording(local)
