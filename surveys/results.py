"""A survey's results, counted in the database: a few queries whatever the number of answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from campaigns.models import Building
from partners.models import Organisation

from .models import Answer, Question, Response, Survey


@dataclass
class Row:
    label: str
    count: int
    percent: int


@dataclass
class Breakdown:
    name: str | None
    respondents: int
    rows: list[Row]


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    groups: list[Breakdown] = field(default_factory=list)


def _rows(choices: list[str], counts: dict[str, int], answered: int) -> list[Row]:
    return [
        Row(
            choice,
            counts.get(choice, 0),
            round(100 * counts.get(choice, 0) / answered) if answered else 0,
        )
        for choice in choices
    ]


def tally(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Per question: how many answered and each choice's count and share, overall and per
    building (a bargaining survey) or per organisation (a listening survey)."""
    group_field = "response__member__building" if survey.for_members else "response__organisation"
    questions = list(survey.questions.all())
    answers = Answer.objects.filter(question__survey=survey)
    counts: dict[tuple, int] = {}
    answered: dict[tuple, int] = {}
    for row in answers.values("question", "value", group_field).annotate(n=Count("pk")):
        key = (row["question"], row[group_field])
        counts[(*key, row["value"])] = row["n"]
    for row in answers.values("question", group_field).annotate(n=Count("response", distinct=True)):
        answered[(row["question"], row[group_field])] = row["n"]
    respondents_by_group = dict(
        Response.objects.filter(survey=survey)
        .values(group_field.removeprefix("response__"))
        .annotate(n=Count("pk"))
        .values_list(group_field.removeprefix("response__"), "n")
    )
    group_ids = sorted(k for k in respondents_by_group if k is not None)
    model = Building if survey.for_members else Organisation
    names = dict(model.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    ordered_groups = sorted(group_ids, key=lambda pk: names.get(pk, "")) + (
        [None] if None in respondents_by_group else []
    )
    results = []
    for question in questions:
        choices = question.choice_list
        total_counts: dict[str, int] = {}
        for (qid, _group, value), n in counts.items():
            if qid == question.pk:
                total_counts[value] = total_counts.get(value, 0) + n
        total = sum(n for (qid, _g), n in answered.items() if qid == question.pk)
        result = QuestionResult(question, total, _rows(choices, total_counts, total))
        if choices:
            for group in ordered_groups:
                group_answered = answered.get((question.pk, group), 0)
                group_counts = {
                    value: n
                    for (qid, g, value), n in counts.items()
                    if qid == question.pk and g == group
                }
                result.groups.append(
                    Breakdown(
                        names.get(group) if group is not None else None,
                        group_answered,
                        _rows(choices, group_counts, group_answered),
                    )
                )
        results.append(result)
    return sum(respondents_by_group.values()), results
