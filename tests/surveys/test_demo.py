"""The demo's surveys load open and answered across schools, and loading again changes nothing."""

import pytest
from django.core.management import call_command

from surveys.models import Answer, Response, Survey
from surveys.results import tally

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_answered_bargaining_survey_and_loads_twice_the_same():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    survey = Survey.objects.get(slug="bargaining-survey-2027", campaign__slug="true-2027")
    assert survey.is_open and survey.for_members
    respondents, results = tally(survey)
    assert respondents == 40
    assert len(results[0].groups) == 4  # answers from four schools
    assert survey.responses.filter(recorded_by__isnull=False).exists()  # some through a steward
    listening = Survey.objects.get(slug="listening-2027")
    assert listening.responses.filter(organisation__isnull=False).count() > 20
    before = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == before
