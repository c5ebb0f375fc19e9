from __future__ import annotations

from surveys.models import Question, Survey

QUESTIONS = [
    (Question.Kind.SINGLE, "What matters most this bargaining?", "Class size\nPay\nCounselors"),
    (Question.Kind.MULTIPLE, "Which actions would you join?", "Wear red\nRally\nPicket"),
    (Question.Kind.SCALE, "How ready are you to strike?", ""),
    (Question.Kind.TEXT, "What should the district fix first?", ""),
]


def make_survey(
    campaign, *, audience=Survey.Audience.MEMBERS, open_by=None, slug="bargaining-survey", **extra
) -> Survey:
    """A survey with one question of each kind; opened when ``open_by`` is given."""
    survey = Survey.objects.create(
        campaign=campaign, title="Bargaining survey", slug=slug, audience=audience, **extra
    )
    for position, (kind, text, choices) in enumerate(QUESTIONS):
        Question.objects.create(
            survey=survey, position=position, kind=kind, text=text, choices=choices
        )
    if open_by is not None:
        survey.open(by=open_by)
    return survey


def answers_for(survey: Survey, *, single="Class size", multiple=("Rally",), scale="4", text=""):
    """The answers as ``Survey.respond`` takes them."""
    single_q, multiple_q, scale_q, text_q = survey.questions.all()
    return {single_q: single, multiple_q: list(multiple), scale_q: scale, text_q: text}


def post_data(survey: Survey, **kwargs) -> dict:
    """The same answers as the answer form posts them."""
    data = {}
    for question, value in answers_for(survey, **kwargs).items():
        data[f"q{question.pk}"] = value
    return data
