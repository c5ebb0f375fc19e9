from __future__ import annotations

import time

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import Member
from demands.models import Demand
from partners.models import Finding, ListeningSession
from surveys.models import Answer, Question, Response, Survey
from surveys.results import tally

from .. import factories as f
from .factories import answers_for, make_survey, post_data

pytestmark = pytest.mark.django_db


def test_a_leader_builds_and_opens_a_survey(cast):
    client = cast.client_for("leader")
    response = client.post(
        reverse("surveys:create", args=[cast.campaign.slug]),
        {"title": "Bargaining survey", "slug": "bargaining", "intro": "", "audience": "members"},
    )
    survey = Survey.objects.get(campaign=cast.campaign)
    assert response.url == survey.get_absolute_url()
    client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "What matters most?", "kind": "single", "choices": "Pay\nClass size"},
    )
    client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "Anything else?", "kind": "text", "choices": "ignored", "required": "on"},
    )
    first, second = survey.questions.all()
    assert first.choice_list == ["Pay", "Class size"]
    assert (second.position, second.choices, second.required) == (1, "", True)
    client.post(reverse("surveys:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.is_open and survey.opened_by == cast.leader and survey.opened_at


def test_a_choice_question_needs_two_choices(cast):
    survey = make_survey(cast.campaign)
    response = cast.client_for("leader").post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "Pick one", "kind": "single", "choices": "Only one"},
    )
    assert response.status_code == 400
    assert survey.questions.count() == 4


def test_a_survey_without_questions_does_not_open(cast):
    survey = Survey.objects.create(campaign=cast.campaign, title="Empty", slug="empty")
    cast.client_for("leader").post(reverse("surveys:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_closing_records_who_and_stops_answers(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a)
    survey.close(by=cast.leader)
    assert survey.closed_by == cast.leader and survey.closed_at
    page = cast.client_for("anonymous").get(
        reverse("surveys:personal", args=[survey.link_token(member)])
    )
    assert "not taking answers" in page.content.decode()


def test_the_personal_link_names_no_member(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a, first_name="Rosa", last_name="Parks")
    token = survey.link_token(member)
    assert "Rosa" not in token and "Parks" not in token
    assert member.uuid.hex not in token and str(member.uuid) not in token
    assert survey.link_token(member) == token
    assert Survey.read_link_token(token) == (survey.pk, member.pk)
    assert Survey.read_link_token(token[:-2] + "xx") is None


def test_a_members_links_to_two_surveys_share_nothing(cast):
    first = make_survey(cast.campaign, open_by=cast.leader)
    second = make_survey(cast.campaign, open_by=cast.leader, slug="second")
    second.title = "Second survey"
    second.save(update_fields=["title"])
    member = f.make_member(cast.building_a)
    one, other = first.link_token(member), second.link_token(member)
    assert one != other
    assert not set(one.split("-")) & set(other.split("-"))
    client = cast.client_for("anonymous")
    page = client.get(reverse("surveys:personal", args=[other])).content.decode()
    assert "Second survey" in page
    # Answering through the second link answers the second survey only.
    client.post(reverse("surveys:personal", args=[other]), post_data(second))
    assert Response.objects.get(member=member).survey == second


def test_a_link_made_before_links_had_tokens_still_opens_its_survey(cast):
    from django.core import signing

    from surveys.models import LINK_SALT

    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a)
    old = signing.Signer(salt=LINK_SALT).sign(f"{survey.pk}.{member.uuid.hex}")
    client = cast.client_for("anonymous")
    assert client.get(reverse("surveys:personal", args=[old])).status_code == 200
    forged = signing.Signer(salt="another").sign(f"{survey.pk}.{member.uuid.hex}")
    assert client.get(reverse("surveys:personal", args=[forged])).status_code == 404


def test_a_member_answers_from_their_link_and_answering_again_edits(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a)
    url = reverse("surveys:personal", args=[survey.link_token(member)])
    client = cast.client_for("anonymous")
    assert client.get(url).status_code == 200
    response = client.post(url, post_data(survey, multiple=("Rally", "Picket"), text="Fix HVAC"))
    assert response.status_code == 302 and "thanks=1" in response.url
    client.post(url, post_data(survey, single="Pay", multiple=("Wear red",), text=""))
    saved = Response.objects.get(survey=survey, member=member)
    values = sorted(saved.answers.values_list("value", flat=True))
    assert values == ["4", "Pay", "Wear red"]
    form = client.get(url).context["form"]
    assert form.initial[f"q{survey.questions.first().pk}"] == "Pay"


def test_a_spanish_member_reads_the_survey_in_spanish(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a, preferred_language="es")
    page = cast.client_for("anonymous").get(
        reverse("surveys:personal", args=[survey.link_token(member)])
    )
    assert "Enviar mis respuestas" in page.content.decode()


def test_a_member_who_left_the_roster_has_no_link(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a)
    token = survey.link_token(member)
    Member.objects.filter(pk=member.pk).update(left_at="2026-11-01T00:00Z")
    assert (
        cast.client_for("anonymous").get(reverse("surveys:personal", args=[token])).status_code
        == 404
    )


def test_a_steward_records_a_members_answers(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    member = f.make_member(cast.building_a)
    client = cast.client_for("steward_a")
    page = client.get(reverse("surveys:member", args=[member.pk]))
    assert reverse("surveys:record", args=[survey.pk, member.pk]) in page.content.decode()
    client.post(reverse("surveys:record", args=[survey.pk, member.pk]), post_data(survey))
    saved = Response.objects.get(survey=survey, member=member)
    assert saved.recorded_by == cast.steward_a
    other = f.make_member(cast.building_b)
    refused = client.post(reverse("surveys:record", args=[survey.pk, other.pk]), post_data(survey))
    assert refused.status_code == 404


def test_stewards_see_links_of_their_buildings_only(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    mine = f.make_member(cast.building_a, last_name="Mine")
    theirs = f.make_member(cast.building_b, last_name="Theirs")
    page = cast.client_for("steward_a").get(reverse("surveys:links", args=[survey.pk]))
    text = page.content.decode()
    assert survey.link_token(mine) in text and survey.link_token(theirs) not in text


def test_results_count_per_question_and_building(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    for building, single in [(cast.building_a, "Pay"), (cast.building_a, "Pay"),
                             (cast.building_b, "Class size")]:  # fmt: skip
        survey.respond(answers_for(survey, single=single), member=f.make_member(building))
    respondents, results = tally(survey)
    assert respondents == 3
    single = results[0]
    assert [(r.label, r.count, r.percent) for r in single.rows] == [
        ("Class size", 1, 33), ("Pay", 2, 67), ("Counselors", 0, 0)]  # fmt: skip
    by_building = {g.name: [r.count for r in g.rows] for g in single.groups}
    assert by_building == {cast.building_a.name: [0, 2, 0], cast.building_b.name: [1, 0, 0]}
    page = cast.client_for("leader").get(reverse("surveys:results", args=[survey.pk]))
    assert page.status_code == 200 and "67%" in page.content.decode()


@pytest.mark.parametrize("who", ["steward_a", "partner_x"])
def test_only_leaders_read_results(cast, who):
    survey = make_survey(cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC)
    survey.respond(answers_for(survey, text="Secret words"))
    response = cast.client_for(who).get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code in (403, 404)
    assert b"Secret words" not in response.content


def test_the_public_listening_survey_counts_the_partners_link(cast, client):
    survey = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="listening"
    )
    url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
    via = Survey.via_token(cast.organisation_x)
    page = client.get(f"{url}?via={via}")
    assert page.status_code == 200
    form = page.context["form"]
    data = {**post_data(survey, text="More bus routes"), "issued": form.initial["issued"]}
    with _later():
        response = client.post(f"{url}?via={via}", data)
    assert response.status_code == 302
    saved = Response.objects.get(survey=survey)
    assert saved.organisation == cast.organisation_x and saved.member is None
    forged = client.get(f"{url}?via={cast.organisation_y.pk}")
    assert forged.status_code == 200


def _later():
    """Move the clock past the form's minimum time, as a person takes."""
    return time_machine.travel(time.time() + 5, tick=True)


def test_the_honeypot_stops_bots(cast, client):
    survey = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="listening"
    )
    url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
    issued = client.get(url).context["form"].initial["issued"]
    with _later():
        response = client.post(url, {**post_data(survey), "issued": issued, "website": "x"})
    assert response.status_code == 400 and not Response.objects.exists()


def test_the_public_form_is_rate_limited_per_address_and_survey(cast, client, settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "public_survey": "2/h/key"}
    survey = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="listening"
    )
    other = make_survey(
        cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC, slug="other"
    )

    def answer(survey, address="203.0.113.77"):
        url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
        issued = client.get(url).context["form"].initial["issued"]
        with _later():
            data = {**post_data(survey), "issued": issued}
            return client.post(url, data, REMOTE_ADDR=address)

    assert [answer(survey).status_code for _ in range(2)] == [302, 302]
    refused = answer(survey)
    assert refused.status_code == 429
    assert "Too many answers from your connection" in refused.content.decode()
    # Another survey, or another address, has a count of its own.
    assert answer(other).status_code == 302
    assert answer(survey, address="198.51.100.9").status_code == 302
    assert Response.objects.count() == 4
    keys = " ".join(str(k) for k in cache._cache)
    assert "allauth:rl" in keys
    assert "203.0.113.77" not in keys and "198.51.100.9" not in keys


def test_a_draft_survey_has_no_public_page(cast, client):
    survey = make_survey(cast.campaign, audience=Survey.Audience.PUBLIC, slug="listening")
    url = reverse("open_surveys:answer", args=[cast.campaign.slug, survey.slug])
    assert client.get(url).status_code == 404


def test_a_written_answer_becomes_a_finding_and_then_a_demand(cast):
    survey = make_survey(cast.campaign, open_by=cast.leader, audience=Survey.Audience.PUBLIC)
    survey.respond(answers_for(survey, text="Buses stop too far from the school"))
    answer = Answer.objects.get(question__kind=Question.Kind.TEXT)
    client = cast.client_for("leader")
    response = client.post(
        reverse("surveys:answer_finding", args=[answer.pk]),
        {"organisation": cast.organisation_x.pk, "kind": Finding.Kind.PROBLEM},
    )
    finding = Finding.objects.get()
    assert finding.text == "Buses stop too far from the school"
    assert finding.session.kind == ListeningSession.Kind.SURVEY
    assert finding.session.organisation == cast.organisation_x
    assert response.url.startswith(finding.session.get_absolute_url())
    answer.refresh_from_db()
    assert answer.finding == finding
    again = client.post(
        reverse("surveys:answer_finding", args=[answer.pk]),
        {"organisation": cast.organisation_x.pk, "kind": Finding.Kind.PROBLEM},
    )
    assert again.status_code == 302 and Finding.objects.count() == 1
    demand = Demand.from_finding(finding, campaign=cast.campaign, by=cast.leader)
    assert demand.source_finding == finding


def test_the_survey_says_when_it_opened_in_the_locals_time(cast, evening_in_california):
    survey = make_survey(cast.campaign, open_by=cast.leader)
    page = cast.client_for("leader").get(survey.get_absolute_url()).content.decode()
    # 20:30 in California is 04:30 the next day in UTC: the page says the local's evening.
    assert "Open since" in page
    opened = page.split("Open since", 1)[1][:60]
    assert "29 November 2026, 20:30" in opened and "04:30" not in opened
