"""The demo's surveys: the TRUE 2027 bargaining survey, open, answered by members in several
schools (some through their steward), and a listening survey parents and neighbours answer
through the partners' links."""

from __future__ import annotations

import random

from campaigns.models import Member
from surveys.models import Question, Survey

BARGAINING_QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "What should our first priority at the table be?",
        "Smaller class sizes\nA nurse and a counselor in every school\nPay that keeps up with rent"
        "\nHousing for unhoused students",
        True,
    ),
    (
        Question.Kind.MULTIPLE,
        "Which actions would you take part in?",
        "Wear red on Thursdays\nRally before school\nPack the school-board meeting"
        "\nInformational picket",
        False,
    ),
    (Question.Kind.SCALE, "How ready are you to strike if the district will not move?", "", True),
    (Question.Kind.TEXT, "What one thing would make your school better for students?", "", False),
]
LISTENING_QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "What worries you most about your child's school?",
        "Class sizes\nNo nurse or counselor\nSafety on the way to school\nTeachers leaving",
        True,
    ),
    (Question.Kind.TEXT, "What should the union and the district fix together?", "", False),
]
MEMBER_WORDS = [
    "Our nurse is here one day a week; the office staff hand out medicine the rest.",
    "Thirty-six students in one kindergarten room. Nobody can learn like that.",
    "Families in the motel on Watt Avenue need a bus stop near it.",
    "Restorative justice training for all of us, not just the counselors.",
]
NEIGHBOUR_WORDS = [
    "The crossing on Elkhorn Boulevard needs a guard before and after school.",
    "Keep the library open after school: it is the only quiet place many kids have.",
    "Hire counselors who speak Spanish and Hmong.",
]


def _survey(campaign, leader, *, slug, title, intro, audience, questions) -> Survey:
    survey, created = Survey.objects.get_or_create(
        campaign=campaign,
        slug=slug,
        defaults={"title": title, "intro": intro, "audience": audience, "created_by": leader},
    )
    if created:
        for position, (kind, text, choices, required) in enumerate(questions):
            Question.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                text=text,
                choices=choices,
                required=required,
            )
        survey.open(by=leader)
    return survey


def _answers(survey: Survey, rng: random.Random, words: list[str]) -> dict:
    answers = {}
    for question in survey.questions.all():
        choices = question.choice_list
        if question.kind == Question.Kind.SINGLE:
            answers[question] = rng.choice(choices)
        elif question.kind == Question.Kind.MULTIPLE:
            answers[question] = rng.sample(choices, rng.randint(1, 3))
        elif question.kind == Question.Kind.SCALE:
            answers[question] = rng.choice(["2", "3", "4", "4", "5", "5"])
        else:
            answers[question] = rng.choice(words) if rng.random() < 0.3 else ""
    return answers


def seed(context: dict) -> None:
    campaign, leader, steward = context["campaign"], context["leader"], context["steward"]
    rng = random.Random(2027)
    bargaining = _survey(
        campaign,
        leader,
        slug="bargaining-survey-2027",
        title="TRUE 2027 bargaining survey",
        intro="Tell us what we should fight for at the table. It takes three minutes.",
        audience=Survey.Audience.MEMBERS,
        questions=BARGAINING_QUESTIONS,
    )
    if not bargaining.responses.exists():
        members = Member.objects.filter(
            local=context["local"], building__in=context["buildings"][:4]
        ).order_by("employee_id")
        for n, member in enumerate(members[:60]):
            if n % 3 == 0:
                continue  # not everyone has answered yet
            bargaining.respond(
                _answers(bargaining, rng, MEMBER_WORDS),
                member=member,
                recorded_by=steward if n % 4 == 0 else None,
            )
    listening = _survey(
        campaign,
        leader,
        slug="listening-2027",
        title="What would make our schools better?",
        intro="Parents, students and neighbours: the union and our partners are listening.",
        audience=Survey.Audience.PUBLIC,
        questions=LISTENING_QUESTIONS,
    )
    if not listening.responses.exists():
        organisations = [*context["organisations"][:3], None]
        for n in range(30):
            listening.respond(
                _answers(listening, rng, NEIGHBOUR_WORDS), organisation=organisations[n % 4]
            )
    _translate_listening(listening)
    context["surveys"] = [bargaining, listening]


# The listening survey's questions in Spanish (the answers still count the English choices),
# and the first one's question in Hmong, its choices not yet: the page marks them.
LISTENING_TRANSLATIONS = {
    "What worries you most about your child's school?": {
        "text_es": "¿Qué es lo que más le preocupa de la escuela de su hijo o hija?",
        "choices_es": "Grupos muy grandes\nNo hay enfermera ni consejero\n"
        "La seguridad en el camino a la escuela\nLos maestros se van",
        "text_hmn": (
            "Koj txhawj txog dab tsi tshaj plaws hauv koj tus me nyuam lub tsev kawm ntawv?"
        ),
    },
    "What should the union and the district fix together?": {
        "text_es": "¿Qué deberían arreglar juntos el sindicato y el distrito?",
    },
}


def _translate_listening(survey: Survey) -> None:
    for question in survey.questions.filter(text__in=LISTENING_TRANSLATIONS):
        texts = LISTENING_TRANSLATIONS[question.text]
        if question.i18n != texts:
            question.i18n = texts
            question.save(update_fields=["i18n"])
