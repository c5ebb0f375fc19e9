"""The objects the access matrix asks for on the surveys' routes."""

from __future__ import annotations

import time

from django.core import signing

from surveys.forms import FORM_SALT
from surveys.models import Answer, Question, Survey

from . import factories as f
from .surveys.factories import answers_for, make_survey, post_data


def _members_survey(cast) -> Survey:
    """The bargaining survey, open: the local's leaders and stewards see it."""
    return Survey.objects.filter(
        campaign=cast.campaign, slug="bargaining-survey"
    ).first() or make_survey(cast.campaign, open_by=cast.leader)


def _listening_survey(cast) -> Survey:
    """The listening survey, open: the local's leaders and partners see it."""
    return Survey.objects.filter(campaign=cast.campaign, slug="listening").first() or make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="listening"
    )


def survey_kwargs(cast) -> dict:
    return {"pk": _members_survey(cast).pk}


def survey_form(cast, kwargs=None) -> dict:
    return {"title": "Spring survey", "slug": "spring", "intro": "", "audience": "members"}


def question_form(cast, kwargs) -> dict:
    return {"text": "Which?", "kind": "single", "choices": "One\nTwo"}


def question_kwargs(cast) -> dict:
    return {"pk": _members_survey(cast).questions.first().pk}


def answer_kwargs(cast) -> dict:
    """A written answer to the listening survey, from organisation X's link."""
    survey = _listening_survey(cast)
    survey.respond(answers_for(survey, text="More buses"), organisation=cast.organisation_x)
    return {"pk": Answer.objects.get(question__survey=survey, question__kind=Question.Kind.TEXT).pk}


def finding_form(cast, kwargs) -> dict:
    return {"organisation": cast.organisation_x.pk, "kind": "problem"}


def record_kwargs(cast) -> dict:
    return {"pk": _members_survey(cast).pk, "member_pk": f.make_member(cast.building_a).pk}


def record_form(cast, kwargs) -> dict:
    return post_data(Survey.objects.get(pk=kwargs["pk"]))


def personal_kwargs(cast) -> dict:
    """A member's personal link: whoever holds it answers as the member."""
    return {"token": _members_survey(cast).link_token(f.make_member(cast.building_a))}


def personal_form(cast, kwargs) -> dict:
    survey_id, _member = Survey.read_link_token(kwargs["token"])
    return post_data(Survey.objects.get(pk=survey_id))


def public_survey_kwargs(cast) -> dict:
    return {"slug": cast.campaign.slug, "survey_slug": _listening_survey(cast).slug}


def public_survey_form(cast, kwargs) -> dict:
    """A visitor's answers on a form stamped ten seconds ago."""
    survey = _listening_survey(cast)
    issued = signing.dumps({"s": survey.pk, "t": time.time() - 10}, salt=FORM_SALT)
    return {**post_data(survey), "issued": issued}
