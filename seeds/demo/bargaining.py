"""Open bargaining in the demo local, after Twin Rivers United Educators' campaign: a request
to bargain, open sessions with members and parents in the room, a date the district declined,
proposals and counterproposals on class size, special education caseloads, counselors and
nurses and wages, and a first tentative agreement. Bargaining is under way: the next open
session is coming.

Dates are counted from the day bargaining opened (the campaign's bargaining target date, see
``seeds.demo.campaigns``); rows are keyed on natural fields, so running ``seed_demo`` twice changes
nothing, and running it on a later day moves the story along with the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bargaining.models import (
    CampaignEvent,
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)
from bargaining.report import store_public_reports
from demands.models import Demand
from seeds.demo.campaigns import FIRST_AGREEMENT_AFTER, ZONE
from seeds.demo.demands import backdate_all

BOARD_ROOM = "District board room, 5115 Dudley Boulevard, McClellan"

STORY = (
    "We bargain in the open. Twin Rivers educators, parents and neighbours sit in on every open "
    "session, so everyone can see what the union proposed for our students and what the "
    "district answered. Our demands came out of listening sessions with families: smaller "
    "classes, special education caseloads that let every student get their services, a "
    "counselor and a nurse in every school, and pay that keeps good teachers in Twin Rivers."
)
STORY_ES = (
    "Negociamos a la vista de todos. Educadores, madres, padres y vecinos de Twin Rivers "
    "asisten a cada sesión abierta, para que todos vean lo que el sindicato propuso para "
    "nuestros estudiantes y lo que respondió el distrito. Nuestras demandas nacieron de "
    "sesiones de escucha con las familias: clases más pequeñas, cargas de casos de educación "
    "especial que permitan a cada estudiante recibir sus servicios, un consejero y una "
    "enfermera en cada escuela, y salarios que mantengan a los buenos maestros en Twin Rivers."
)

ARTICLES = [
    ("8", "Salaries", "Salarios"),
    ("12", "Class size", "Tamaño de las clases"),
    ("14", "Special education caseloads", "Cargas de casos de educación especial"),
    (
        "20",
        "Student support staff: counselors and nurses",
        "Personal de apoyo: consejeros y enfermeras",
    ),
]

# (key, (days after bargaining opened, start time), hours, format, status, members, community,
#  summary, summary_es, notes). Sessions fall on Wednesdays, as bargaining opened on one.
SESSIONS = [
    (
        "s1",
        (0, time(16, 30)),
        3,
        Session.Format.OPEN,
        Session.Status.HELD,
        140,
        38,
        "The union opened with its proposals on class size, special education caseloads, "
        "counselors and nurses, and salaries. Parents from Del Paso Heights spoke about "
        "classes of 36 and a school without a nurse.",
        "El sindicato presentó sus propuestas sobre tamaño de las clases, cargas de educación "
        "especial, consejeros y enfermeras, y salarios. Madres y padres de Del Paso Heights "
        "hablaron de clases de 36 y de una escuela sin enfermera.",
        "District team caucused for 40 minutes after the class size proposal.",
    ),
    (
        "s2",
        (14, time(16, 30)),
        3,
        Session.Format.OPEN,
        Session.Status.DECLINED_EMPLOYER,
        0,
        0,
        "The district declined to meet on this date.",
        "El distrito se negó a reunirse en esta fecha.",
        "HR director cited scheduling; second date refused this month.",
    ),
    (
        "s3",
        (28, time(16, 30)),
        3,
        Session.Format.OPEN,
        Session.Status.HELD,
        310,
        64,
        "After a rally of 800 members and families, the district passed its first "
        "counterproposals on class size and salaries. Neither reaches what our students need.",
        "Después de una manifestación de 800 miembros y familias, el distrito presentó sus "
        "primeras contrapropuestas sobre tamaño de las clases y salarios. Ninguna alcanza lo que "
        "nuestros estudiantes necesitan.",
        "Side conversation: district open to movement on nurses if we trade on prep time.",
    ),
    (
        "s4",
        (42, time(16, 0)),
        2,
        Session.Format.CLOSED,
        Session.Status.HELD,
        0,
        0,
        "A working session on special education caseloads and student support staffing.",
        "Una sesión de trabajo sobre cargas de educación especial y personal de apoyo.",
        "Closed at the district's request; mediator floated as an option.",
    ),
    (
        "s5",
        (FIRST_AGREEMENT_AFTER.days, time(16, 30)),
        3,
        Session.Format.OPEN,
        Session.Status.HELD,
        260,
        51,
        "Tentative agreement on special education caseloads. The union answered the district on "
        "salaries and class size.",
        "Acuerdo tentativo sobre cargas de educación especial. El sindicato respondió al distrito "
        "sobre salarios y tamaño de las clases.",
        "Team agreed to hold firm on 7% in year one until the strike vote.",
    ),
    (
        "s6",
        (84, time(16, 30)),
        3,
        Session.Format.OPEN,
        Session.Status.SCHEDULED,
        0,
        0,
        "The next open session: the union answers the district on class size, counselors and "
        "nurses, and salaries. Members and families are welcome in the room.",
        "La próxima sesión abierta: el sindicato responde al distrito sobre tamaño de las clases, "
        "consejeros y enfermeras, y salarios. Miembros y familias son bienvenidos en la sala.",
        "Strike authorisation vote the week before; bring the building-by-building results.",
    ),
]

# article number -> [(session key, side, status, text, text_es, published)]
THREADS = {
    "12": [
        (
            "s1",
            "union",
            "open",
            "No class in transitional kindergarten to grade 3 shall exceed 24 students, grades 4 "
            "to 6 "
            "28 students, and grades 7 to 12 30 students. Classes over the cap get an aide the "
            "next day.",
            "Ninguna clase de kínder de transición a 3.º grado superará 24 estudiantes, de 4.º a "
            "6.º "
            "28 estudiantes y de 7.º a 12.º 30 estudiantes. Las clases sobre el límite reciben un "
            "asistente al día siguiente.",
            True,
        ),
        (
            "s3",
            "employer",
            "open",
            "No class in transitional kindergarten to grade 3 shall exceed 27 students, grades 4 "
            "to 6 "
            "32 students, and grades 7 to 12 36 students, averaged across the site.",
            "Ninguna clase de kínder de transición a 3.º grado superará 27 estudiantes, de 4.º a "
            "6.º "
            "32 estudiantes y de 7.º a 12.º 36 estudiantes, en promedio por escuela.",
            True,
        ),
        (
            "s5",
            "union",
            "open",
            "No class in transitional kindergarten to grade 3 shall exceed 25 students, grades 4 "
            "to 6 "
            "29 students, and grades 7 to 12 32 students. Classes over the cap get an aide within "
            "a week.",
            "Ninguna clase de kínder de transición a 3.º grado superará 25 estudiantes, de 4.º a "
            "6.º "
            "29 estudiantes y de 7.º a 12.º 32 estudiantes. Las clases sobre el límite reciben un "
            "asistente en una semana.",
            True,
        ),
    ],
    "14": [
        (
            "s1",
            "union",
            "open",
            "Resource specialists shall carry no more than 22 students; special day class teachers "
            "no more than 12, with two aides.",
            "Los especialistas de recursos atenderán como máximo 22 estudiantes; los maestros de "
            "clase especial diurna como máximo 12, con dos asistentes.",
            True,
        ),
        (
            "s4",
            "employer",
            "open",
            "Resource specialists shall carry no more than 28 students; special day class teachers "
            "no more than 14, with one aide.",
            "Los especialistas de recursos atenderán como máximo 28 estudiantes; los maestros de "
            "clase especial diurna como máximo 14, con un asistente.",
            True,
        ),
        (
            "s5",
            "union",
            "agreed",
            "Resource specialists shall carry no more than 24 students; special day class teachers "
            "no more than 12, with two aides.",
            "Los especialistas de recursos atenderán como máximo 24 estudiantes; los maestros de "
            "clase especial diurna como máximo 12, con dos asistentes.",
            True,
        ),
    ],
    "20": [
        (
            "s1",
            "union",
            "open",
            "Every school shall have a full-time counselor and a full-time nurse, and no counselor "
            "shall serve more than 250 students.",
            "Cada escuela tendrá un consejero y una enfermera de tiempo completo, y ningún "
            "consejero "
            "atenderá a más de 250 estudiantes.",
            True,
        ),
        (
            "s4",
            "employer",
            "open",
            "The district shall add 10 counselors and 6 nurses over three years, placed by need.",
            "El distrito añadirá 10 consejeros y 6 enfermeras en tres años, asignados según la "
            "necesidad.",
            True,
        ),
    ],
    "8": [
        (
            "s1",
            "union",
            "open",
            "A 12% raise on the salary schedule over two years: 7% in year one, 5% in year two.",
            "Un aumento del 12 % en la escala salarial en dos años: 7 % el primer año y 5 % el "
            "segundo.",
            True,
        ),
        (
            "s3",
            "employer",
            "open",
            "A 3% raise in year one and a 2% one-time bonus.",
            "Un aumento del 3 % el primer año y un bono único del 2 %.",
            True,
        ),
        (
            "s5",
            "union",
            "open",
            "A 10% raise over two years: 7% in year one, 3% in year two.",
            "Un aumento del 10 % en dos años: 7 % el primer año y 3 % el segundo.",
            True,
        ),
    ],
}
# A thread on a topic, with a district proposal the team has not chosen to publish.
HEALTH_TOPIC = ("Health benefits", "Beneficios de salud")
# The few texts the Hmong parents' group has translated so far: the rest of the record shows,
# in Hmong, the English text marked as not yet translated.
HMONG_ARTICLES = {"12": "Qhov loj ntawm chav kawm"}
HMONG_AGREEMENTS = {"Special education caseloads": "Cov me nyuam kawm ntawv tshwj xeeb"}
HEALTH_VERSIONS = [
    (
        "s5",
        "employer",
        "open",
        "Employees shall pay 10% of the premium for the district's lowest-cost plan.",
        "",
        False,
    ),
]

# (article, title, title_es, signed at session, summary, summary_es): the first tentative
# agreement, signed at the last session held.
AGREEMENTS = [
    (
        "14",
        "Special education caseloads",
        "Cargas de casos de educación especial",
        "s5",
        "Caseload caps of 24 for resource specialists and 12 with two aides in special day "
        "classes.",
        "Límites de 24 casos para especialistas de recursos y de 12 con dos asistentes en clases "
        "especiales diurnas.",
    ),
]

# (kind, days after bargaining opened, title, title_es, text, text_es, declined, yes, no)
EVENTS = [
    (
        CampaignEvent.Kind.REQUEST,
        -28,
        "TRUE requests to bargain",
        "TRUE solicita negociar",
        "TRUE asked the district to open bargaining on a successor contract, in the open, with an "
        "expanded bargaining team of educators from every school.",
        "TRUE pidió al distrito abrir la negociación de un nuevo contrato, a la vista de todos, "
        "con "
        "un equipo ampliado de educadores de cada escuela.",
        None,
        None,
        None,
    ),
    (
        CampaignEvent.Kind.DECLINED,
        21,
        "The district declined five dates",
        "El distrito rechazó cinco fechas",
        "Since the union asked to bargain, the district declined five of the dates it offered.",
        "Desde que el sindicato pidió negociar, el distrito rechazó cinco de las fechas que "
        "ofreció.",
        5,
        None,
        None,
    ),
]

UNION_TEAM = "Jackie Howard (lead negotiator)\nRebecca LeDoux\nDiana Franklin"
EMPLOYER_TEAM = "Assistant superintendent, human resources\nDistrict counsel"


def _local(value: datetime) -> datetime:
    return value.replace(tzinfo=ZONE)


def _published(day: date) -> datetime:
    """Published the evening of ``day``, or now if that evening has not come yet."""
    return min(datetime.combine(day, time(21, 0), tzinfo=ZONE), timezone.now())


def _matching_demands(campaign, words: tuple[str, ...]) -> list[Demand]:
    demands = Demand.objects.filter(campaign=campaign)
    return [d for d in demands if any(w in d.title.lower() for w in words)]


DEMAND_WORDS = {
    "8": ("salar", "wage", "pay"),
    "12": ("class size", "smaller class"),
    "14": ("special education", "caseload"),
    "20": ("counselor", "nurse"),
}


def seed(context: dict) -> None:
    campaign, leader, today = context["campaign"], context["leader"], context["today"]
    PublicPage.objects.update_or_create(
        campaign=campaign, defaults={"is_on": True, "story": STORY, "story_es": STORY_ES}
    )
    articles = {}
    for number, title, title_es in ARTICLES:
        articles[number], _ = ContractArticle.objects.update_or_create(
            campaign=campaign,
            number=number,
            defaults={
                "title": title,
                "i18n": _texts(title_es=title_es, title_hmn=HMONG_ARTICLES.get(number)),
            },
        )
    opened = campaign.bargaining_target_date
    sessions = {}
    for key, when, hours, fmt, status, members, community, summary, summary_es, notes in SESSIONS:
        days, at = when
        start = datetime.combine(opened + timedelta(days=days), at)
        starts_at = _local(start)
        held = status == Session.Status.HELD
        sessions[key], _ = Session.objects.update_or_create(
            campaign=campaign,
            public_summary=summary,
            defaults={
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours),
                "place": BOARD_ROOM,
                "format": fmt,
                "status": status,
                "member_observers": members,
                "community_observers": community,
                "union_attendees": UNION_TEAM,
                "employer_attendees": EMPLOYER_TEAM if held else "",
                "agenda": summary,
                "notes": notes,
                "public_summary_es": summary_es,
                # A session still to come is announced now; one held, the evening it was held.
                "published_at": _published(min(start.date(), today)),
                "published_by": leader,
                "created_by": leader,
            },
        )
    proposals = {}
    for number, versions in THREADS.items():
        proposal, _ = Proposal.objects.get_or_create(campaign=campaign, article=articles[number])
        proposal.demands.set(_matching_demands(campaign, DEMAND_WORDS[number]))
        proposals[number] = proposal
        _seed_versions(proposal, versions, sessions, leader)
    health, _ = Proposal.objects.get_or_create(
        campaign=campaign,
        article=None,
        topic=HEALTH_TOPIC[0],
        defaults={"topic_es": HEALTH_TOPIC[1]},
    )
    _seed_versions(health, HEALTH_VERSIONS, sessions, leader)
    for number, title, title_es, session_key, summary, summary_es in AGREEMENTS:
        signed_on = sessions[session_key].starts_at.astimezone(ZONE).date()
        values = {
            "proposal": proposals[number],
            "i18n": _texts(
                title_es=title_es, summary_es=summary_es, title_hmn=HMONG_AGREEMENTS.get(title)
            ),
            "signed_on": signed_on,
            "summary": summary,
            "union_signatories": "Jackie Howard, Rebecca LeDoux",
            "employer_signatories": "Assistant superintendent, human resources",
            "published_at": _published(signed_on),
            "published_by": leader,
        }
        if TentativeAgreement.objects.filter(campaign=campaign, title=title).exists():
            TentativeAgreement.objects.filter(campaign=campaign, title=title).update(**values)
        else:
            # Recorded as a leader records one: the demands its proposal carries follow.
            TentativeAgreement(campaign=campaign, title=title, **values).save_edits(by=leader)
    # Every demand the record carries stands where the record says (a no-op once it does),
    # and its history is dated at the sessions and the agreement that moved it.
    for proposal in proposals.values():
        proposal.demands_follow(by=leader)
    backdate_all(campaign)
    for kind, days, title, title_es, text, text_es, declined, yes, no in EVENTS:
        day = opened + timedelta(days=days)
        CampaignEvent.objects.update_or_create(
            campaign=campaign,
            kind=kind,
            title=title,
            defaults={
                "occurred_on": day,
                "title_es": title_es,
                "description": text,
                "description_es": text_es,
                "declined_dates": declined,
                "votes_yes": yes,
                "votes_no": no,
                "published_at": _published(day),
                "published_by": leader,
            },
        )
    # The report is rendered here, not by a worker, so that `make run` shows it at once; it
    # is skipped when the stored one already shows this version of the page.
    campaign.refresh_from_db()
    store_public_reports(campaign)


def _texts(**translations: str | None) -> dict:
    """A record's ``i18n``: its translations, leaving out the ones not written yet."""
    return {key: text for key, text in translations.items() if text}


def _seed_versions(proposal, versions, sessions, leader) -> None:
    """Each version passed across the table through ``Proposal.add_version``, as a leader
    records one, so the demands the proposal carries are at the table from then on; a version
    seeded before is brought up to date in place."""
    for number, (key, side, status, text, text_es, published) in enumerate(versions, start=1):
        session = sessions[key]
        passed_on = session.starts_at.astimezone(ZONE).date()
        values = {
            "session": session,
            "side": side,
            "passed_on": passed_on,
            "status": status,
            "text": text,
            "i18n": _texts(text_es=text_es),
            "published_at": _published(passed_on) if published else None,
            "published_by": leader if published else None,
            "created_by": leader,
        }
        existing = ProposalVersion.objects.filter(proposal=proposal, number=number)
        if existing.exists():
            existing.update(**values)
        else:
            proposal.add_version(ProposalVersion(**values), by=leader)
