"""Surveys as OSDI forms and their responses as submissions, walked by links only and scoped
as the app's pages: leaders read every answer, a steward their buildings' members' answers
without free text, partners none."""

from __future__ import annotations

import pytest

from surveys.models import Survey
from tests import factories as f
from tests.surveys.factories import answers_for, make_survey

from .helpers import api_for
from .test_walk import TOKEN_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveys(cast):
    bargaining = make_survey(cast.campaign, open_by=cast.leader)
    listening = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="listening"
    )
    member_a = f.make_member(cast.building_a)
    member_b = f.make_member(cast.building_b)
    bargaining.respond(answers_for(bargaining, text="Fix the roofs"), member=member_a)
    bargaining.respond(answers_for(bargaining, single="Pay"), member=member_b)
    listening.respond(answers_for(listening, text="More buses"), organisation=cast.organisation_x)
    return bargaining, listening


EXPECTED_FORMS = {
    "leader": {"members", "public"},
    "steward_a": {"members"},
    "steward_b": {"members"},
    "partner_x": {"public"},
    "partner_y": {"public"},
    "other_leader": set(),
}


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_reads_the_forms_and_answers_it_reads_in_the_app(cast, surveys, who):
    api = api_for(cast, who)
    forms = api.every(api.aep()["_links"]["osdi:forms"]["href"], "forms")
    assert {form["audience"] for form in forms} == EXPECTED_FORMS[who]
    for form in forms:
        assert api.get(form["_links"]["self"]["href"]).json() == form
        questions = form["_embedded"]["osdi:questions"]
        assert [q["question_type"] for q in questions] == ["single", "multiple", "scale", "text"]
        response = api.get(form["_links"]["osdi:submissions"]["href"])
        if who.startswith("partner"):
            assert response.status_code == 403
            continue
        assert response.status_code == 200
        submissions = response.json()["_embedded"]["osdi:submissions"]
        values = [v for s in submissions for a in s["answers"] for v in a["values"]]
        if who == "leader":
            assert len(submissions) == (2 if form["audience"] == "members" else 1)
            assert "Fix the roofs" in values or "More buses" in values
            continue
        # A steward: their building's member only, and no free text.
        (submission,) = submissions
        assert "Fix the roofs" not in values
        assert len(submission["answers"]) == 3
        person = api.get(submission["_links"]["osdi:person"]["href"])
        assert person.status_code == 200
        expected = "Class size" if who == "steward_a" else "Pay"
        assert expected in values


def test_another_locals_leader_cannot_read_a_form(cast, surveys):
    leader = api_for(cast, "leader")
    form = leader.every(leader.aep()["_links"]["osdi:forms"]["href"], "forms")[0]
    response = api_for(cast, "other_leader").get(form["_links"]["osdi:submissions"]["href"])
    assert response.status_code == 404
    assert api_for(cast, "other_leader").get(form["_links"]["self"]["href"]).status_code == 404
