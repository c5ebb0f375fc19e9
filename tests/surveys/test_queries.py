"""The survey pages take the same number of queries however many people answered."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Survey

from .. import factories as f
from .factories import answers_for, make_survey

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the session and the roles, loaded once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _answer(survey: Survey, cast, n: int) -> None:
    for i in range(n):
        building = cast.building_a if i % 2 else cast.building_b
        answers = answers_for(survey, single="Pay" if i % 3 else "Class size", text=f"Words {i}")
        if survey.for_members:
            survey.respond(answers, member=f.make_member(building))
        else:
            organisation = [cast.organisation_x, cast.organisation_y, None][i % 3]
            survey.respond(answers, organisation=organisation)


@pytest.mark.parametrize("audience", [Survey.Audience.MEMBERS, Survey.Audience.PUBLIC])
def test_the_results_page_takes_the_same_queries_at_two_sizes(cast, audience):
    survey = make_survey(cast.campaign, open_by=cast.leader, audience=audience)
    client = cast.client_for("leader")
    url = reverse("surveys:results", args=[survey.pk])
    _answer(survey, cast, 3)
    small = _queries(client, url)
    _answer(survey, cast, 40)
    assert _queries(client, url) == small


def test_the_links_page_takes_the_same_queries_at_two_sizes(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    client = cast.client_for("steward_a")
    url = reverse("surveys:links", args=[survey.pk])
    _answer(survey, cast, 4)
    small = _queries(client, url)
    _answer(survey, cast, 60)
    assert _queries(client, url) == small
