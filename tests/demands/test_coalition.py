"""The coalition decides together: decision requests and answers, the adoption rule, the
reminders to organisations that have not answered, amendments and merging duplicates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import reminders
from actions.models import Reminder
from actions.reminders.decisions import plan_decision_reminders
from demands.models import (
    AdoptionRule,
    Amendment,
    CoalitionError,
    DecisionAnswer,
    DecisionRequest,
    Demand,
    DemandEndorsement,
    TransitionError,
)
from tests import factories as f

from .factories import make_demand

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday in UTC
DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=PACIFIC)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cg.example"


def _in_review(cast, **extra):
    demand = make_demand(
        cast.campaign,
        by=cast.leader,
        coauthors=[cast.organisation_x],
        shared_with=[cast.organisation_y],
        complete=True,
        **extra,
    )
    demand.send_to_review(by=cast.leader)
    return demand


def _ask(cast, demand, organisations=None):
    return DecisionRequest.ask(
        demand,
        organisations=organisations or [cast.organisation_x, cast.organisation_y],
        deadline=DEADLINE,
        by=cast.leader,
        question="Do we adopt it?",
    )


# Decisions --------------------------------------------------------------------------------


@time_machine.travel(EVENING, tick=False)
def test_each_organisation_answers_once_and_may_change_until_the_deadline(cast):
    decision = _ask(cast, _in_review(cast))
    decision.answer(
        organisation=cast.organisation_x, choice="object", reason="Too narrow.", by=cast.partner_x
    )
    second_person = f.make_partner(cast.local, cast.organisation_x, email="x2@test.example")
    decision.answer(
        organisation=cast.organisation_x, choice="agree", reason="Widened.", by=second_person
    )
    answer = DecisionAnswer.objects.get(request=decision)
    assert (answer.choice, answer.reason, answer.by, answer.changes) == (
        "agree",
        "Widened.",
        second_person,
        1,
    )
    after = time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False)
    with after, pytest.raises(CoalitionError):
        decision.answer(
            organisation=cast.organisation_x, choice="object", reason="No.", by=cast.partner_x
        )
    assert DecisionAnswer.objects.get(request=decision).choice == "agree"


@time_machine.travel(EVENING, tick=False)
def test_a_person_answers_only_for_their_own_organisation_and_never_without_a_reason(cast):
    decision = _ask(cast, _in_review(cast))
    with pytest.raises(CoalitionError):
        decision.answer(
            organisation=cast.organisation_y, choice="agree", reason="Yes.", by=cast.partner_x
        )
    with pytest.raises(CoalitionError):
        decision.answer(
            organisation=cast.organisation_x, choice="agree", reason=" ", by=cast.leader
        )
    with pytest.raises(CoalitionError):
        decision.answer(
            organisation=cast.organisation_x, choice="agree", reason=" ", by=cast.partner_x
        )
    assert not DecisionAnswer.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_only_organisations_sharing_the_demand_are_asked_one_request_at_a_time(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    with pytest.raises(CoalitionError):
        DecisionRequest.ask(
            demand, organisations=[cast.organisation_y], deadline=DEADLINE, by=cast.leader
        )
    DecisionRequest.ask(demand, organisations=[cast.organisation_x], deadline=DEADLINE, by=None)
    with pytest.raises(CoalitionError):
        DecisionRequest.ask(
            demand, organisations=[cast.organisation_x], deadline=DEADLINE, by=cast.leader
        )
    with pytest.raises(CoalitionError):
        DecisionRequest.ask(
            make_demand(cast.campaign, coauthors=[cast.organisation_x]),
            organisations=[cast.organisation_x],
            deadline=EVENING - timedelta(hours=1),
            by=cast.leader,
        )


@time_machine.travel(EVENING, tick=False)
def test_closing_early_keeps_the_answers_and_stops_new_ones(cast):
    decision = _ask(cast, _in_review(cast))
    decision.answer(
        organisation=cast.organisation_x, choice="agree", reason="Yes.", by=cast.partner_x
    )
    decision.close(by=cast.leader, why="Enough answers.")
    assert decision.status == "closed" and decision.ended_by == cast.leader
    with pytest.raises(CoalitionError):
        decision.answer(
            organisation=cast.organisation_y, choice="agree", reason="Yes.", by=cast.partner_y
        )
    with pytest.raises(CoalitionError):
        decision.cancel(by=cast.leader)


@time_machine.travel(EVENING, tick=False)
def test_the_decision_page_shows_who_decided_what_and_when_in_local_time(cast):
    decision = _ask(cast, _in_review(cast))
    page = cast.client_for("partner_x").post(
        decision.get_absolute_url(),
        {"organisation": cast.organisation_x.pk, "choice": "concerns", "reason": "Fund it."},
    )
    assert page.status_code == 302
    html = cast.client_for("leader").get(decision.get_absolute_url()).content.decode()
    assert "Organisation X Parents" in html and "Agree with concerns" in html
    assert "Fund it." in html and cast.partner_x.display_name in html
    assert (
        "Tuesday 1 December 2026, 20:30 PST" in html
    )  # the answer, in the local's zone, not UTC's 2 Dec
    assert "Thursday 10 December 2026, 17:00 PST" in html  # the deadline
    assert "Organisation Y Faith" in html and "not answered yet" in html
    assert 'name="choice"' not in html  # leaders do not answer for an organisation


@time_machine.travel(EVENING, tick=False)
def test_a_partner_of_an_organisation_not_asked_neither_sees_nor_answers(cast):
    decision = _ask(cast, _in_review(cast), organisations=[cast.organisation_x])
    client = cast.client_for("partner_y")  # Y shares the demand, but was not asked
    assert client.get(decision.get_absolute_url()).status_code == 404
    body = {"organisation": cast.organisation_y.pk, "choice": "object", "reason": "No."}
    assert client.post(decision.get_absolute_url(), body).status_code == 404
    assert not DecisionAnswer.objects.exists()
    demand_page = client.get(decision.demand.get_absolute_url()).content.decode()
    assert decision.get_absolute_url() not in demand_page


@time_machine.travel(EVENING, tick=False)
def test_stewards_read_a_decision_without_answering_it(cast):
    decision = _ask(cast, _in_review(cast))
    client = cast.client_for("steward_a")
    page = client.get(decision.get_absolute_url())
    assert page.status_code == 200 and 'name="choice"' not in page.content.decode()
    body = {"organisation": cast.organisation_x.pk, "choice": "agree", "reason": "Yes."}
    assert client.post(decision.get_absolute_url(), body).status_code == 403
    assert client.post(reverse("demands:decision_close", args=[decision.pk])).status_code == 403


# The adoption rule -----------------------------------------------------------------------


@time_machine.travel(EVENING, tick=False)
def test_without_a_rule_adoption_works_as_before(cast):
    demand = _in_review(cast)
    demand.adopt(by=cast.leader)
    assert Demand.objects.get(pk=demand.pk).status == "adopted"


@time_machine.travel(EVENING, tick=False)
def test_the_rule_refuses_adoption_with_a_reason_until_it_is_met(cast):
    AdoptionRule.objects.create(campaign=cast.campaign, min_agreeing_percent=50)
    demand = _in_review(cast)
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    assert "ask them first" in " ".join(error.value.messages)
    decision = _ask(cast, demand)
    decision.answer(
        organisation=cast.organisation_x, choice="object", reason="No.", by=cast.partner_x
    )
    decision.answer(
        organisation=cast.organisation_y, choice="agree", reason="Yes.", by=cast.partner_y
    )
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    text = " ".join(error.value.messages)
    assert "A co-authoring organisation objects: Organisation X Parents." in text
    assert "Complete the racial equity" not in text  # beside the assessment rule, met here
    decision.answer(
        organisation=cast.organisation_x, choice="concerns", reason="Fine.", by=cast.partner_x
    )
    demand.adopt(by=cast.leader)
    assert Demand.objects.get(pk=demand.pk).status == "adopted"


@time_machine.travel(EVENING, tick=False)
def test_the_share_agreeing_counts_every_organisation_asked(cast):
    AdoptionRule.objects.create(
        campaign=cast.campaign, no_coauthor_objection=False, min_agreeing_percent=100
    )
    demand = _in_review(cast)
    decision = _ask(cast, demand)
    decision.answer(
        organisation=cast.organisation_x, choice="agree", reason="Yes.", by=cast.partner_x
    )
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    assert "1 of the 2 organisations asked agree" in " ".join(error.value.messages)
    decision.cancel(by=cast.leader)  # a cancelled request counts for nothing
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    assert "ask them first" in " ".join(error.value.messages)


@time_machine.travel(EVENING, tick=False)
def test_the_view_shows_the_rule_refusal_and_a_leader_sets_the_rule(cast):
    client = cast.client_for("leader")
    url = reverse("demands:adoption_rule", args=[cast.campaign.slug])
    assert client.post(url, {"min_agreeing_percent": "150"}).status_code == 200
    assert not AdoptionRule.objects.exists()
    client.post(url, {"no_coauthor_objection": "on", "min_agreeing_percent": "60"})
    assert AdoptionRule.objects.get().min_agreeing_percent == 60
    demand = _in_review(cast)
    response = client.post(
        reverse("demands:transition", args=[demand.pk]),
        {"to": "adopted", "why": "Ready."},
        follow=True,
    )
    assert "ask them first" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).status == "review"


# Reminders ------------------------------------------------------------------------------


@time_machine.travel(EVENING, tick=False)
def test_reminders_go_once_to_the_partners_of_organisations_that_have_not_answered(cast):
    f.make_member(cast.building_a, first_name="Private", last_name="Member")
    decision = _ask(cast, _in_review(cast))
    decision.answer(
        organisation=cast.organisation_y, choice="agree", reason="Yes.", by=cast.partner_y
    )
    assert plan_decision_reminders() > 0
    planned = Reminder.objects.count()
    plan_decision_reminders()  # the periodic run again: the keys make it harmless
    assert Reminder.objects.count() == planned
    emails = set(Reminder.objects.values_list("recipient_email", flat=True))
    assert emails == {"partner-x@test.example"}
    with time_machine.travel(DEADLINE - timedelta(days=7) + timedelta(minutes=1), tick=False):
        reminders.send_due()
        reminders.send_due()
    assert [m.to for m in mail.outbox] == [["partner-x@test.example"]]  # once, a week before
    message = mail.outbox[0]
    assert "Nurses in every school" in message.subject
    assert "Private" not in message.body and "Member" not in message.body
    assert "https://cg.example" + decision.get_absolute_url() in message.body
    assert "Organisation X Parents is asked to decide" in message.body


@time_machine.travel(EVENING, tick=False)
def test_the_decision_reminder_is_its_own_email_in_the_readers_language_and_local_time(cast):
    cast.partner_x.language = "es"
    cast.partner_x.save(update_fields=["language"])
    decision = _ask(cast, _in_review(cast), organisations=[cast.organisation_x])
    plan_decision_reminders()
    with time_machine.travel(DEADLINE - timedelta(days=7) + timedelta(minutes=1), tick=False):
        reminders.send_due()
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "La decisión de su organización sobre «Nurses in every school»" in message.subject
    # 17:00 in the local's zone, which is 01:00 the next day in UTC.
    for text in (message.subject, message.body, html):
        assert "17:00 PST" in text and "01:00" not in text
    assert "jueves 10 de diciembre de 2026, 17:00 PST" in message.body
    assert "Se pide a su organización que decida sobre la demanda" in message.body
    link = "https://cg.example" + decision.get_absolute_url()
    assert link in message.body and f'href="{link}"' in html
    assert 'lang="es"' in html and "Organisation X Parents tiene que decidir" in message.body
    # The demand, the deadline and the link: not the generic event text nor what was asked.
    for text in (message.body, html):
        assert "Do we adopt it?" not in text and "Recordatorio" not in text


@time_machine.travel(EVENING, tick=False)
def test_the_decision_reminder_in_english_names_the_deadline_and_the_link(cast):
    decision = _ask(cast, _in_review(cast), organisations=[cast.organisation_x])
    plan_decision_reminders()
    with time_machine.travel(DEADLINE - timedelta(days=7) + timedelta(minutes=1), tick=False):
        reminders.send_due()
    [message] = mail.outbox
    assert message.subject == (
        "Your organisation’s decision on “Nurses in every school” is due Thu 10 Dec 2026, 17:00 PST"
    )
    assert "Answer by: Thursday 10 December 2026, 17:00 PST" in message.body
    assert "Answer here: https://cg.example" + decision.get_absolute_url() in message.body
    assert "is coming up" not in message.body


@time_machine.travel(EVENING, tick=False)
def test_an_answer_or_an_ended_request_stops_the_reminders(cast):
    decision = _ask(cast, _in_review(cast))
    plan_decision_reminders()
    decision.answer(
        organisation=cast.organisation_x, choice="agree", reason="Yes.", by=cast.partner_x
    )
    with time_machine.travel(DEADLINE - timedelta(days=7) + timedelta(minutes=1), tick=False):
        reminders.send_due()
    assert [m.to for m in mail.outbox] == [["partner-y@test.example"]]
    decision.cancel(by=cast.leader)
    plan_decision_reminders()
    assert not Reminder.objects.filter(status=Reminder.Status.PENDING).exists()


# Amendments -----------------------------------------------------------------------------


def _amend(cast, demand, **changes):
    return Amendment.propose(
        demand,
        organisation=cast.organisation_x,
        changes=changes or {"summary": "A nurse at every school, all year."},
        reason="All year round.",
        by=cast.partner_x,
        version=demand.version,
    )


@time_machine.travel(EVENING, tick=False)
def test_an_accepted_amendment_becomes_a_revision_by_its_proposer(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    amendment = _amend(cast, demand)
    assert amendment.changes == {"summary": "A nurse at every school, all year."}
    amendment.accept(by=cast.leader)
    demand.refresh_from_db()
    assert demand.summary == "A nurse at every school, all year." and demand.version == 2
    revision = demand.revisions.get(number=2)
    assert revision.by == cast.partner_x and amendment.revision == revision
    assert amendment.status == "accepted" and amendment.decided_by == cast.leader


@time_machine.travel(EVENING, tick=False)
def test_an_outdated_amendment_is_refused_until_rebased(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    amendment = _amend(cast, demand)
    demand.edit(changes={"problem": "Nobody checks."}, by=cast.leader, expected_version=1)
    amendment = Amendment.objects.get(pk=amendment.pk)
    assert amendment.is_outdated
    with pytest.raises(CoalitionError):
        amendment.accept(by=cast.leader)
    with pytest.raises(CoalitionError):
        amendment.rebase(by=cast.leader)  # the proposing organisation rebases
    amendment.rebase(by=cast.partner_x)
    amendment.accept(by=cast.leader)
    demand.refresh_from_db()
    assert demand.problem == "Nobody checks." and demand.summary.endswith("all year.")


@time_machine.travel(EVENING, tick=False)
def test_declining_needs_a_reason_and_only_the_proposer_withdraws(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    amendment = _amend(cast, demand)
    with pytest.raises(CoalitionError):
        amendment.decline(by=cast.leader, reason="")
    with pytest.raises(CoalitionError):
        amendment.withdraw(by=cast.leader)
    amendment.decline(by=cast.leader, reason="Out of scope.")
    assert amendment.status == "declined" and amendment.decline_reason == "Out of scope."
    with pytest.raises(CoalitionError):
        amendment.withdraw(by=cast.partner_x)
    other = _amend(cast, demand, title="Nurses in all schools")
    other.withdraw(by=cast.partner_x)
    assert other.status == "withdrawn"
    assert Demand.objects.get(pk=demand.pk).version == 1


@time_machine.travel(EVENING, tick=False)
def test_an_amendment_that_changes_nothing_is_refused(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    with pytest.raises(CoalitionError):
        _amend(cast, demand, summary=demand.summary)


@time_machine.travel(EVENING, tick=False)
def test_a_partner_proposes_through_the_form_and_the_demand_lists_it(cast):
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    client = cast.client_for("partner_x")
    url = reverse("demands:amendment_propose", args=[demand.pk])
    form = client.get(url).context["form"]
    body = {name: form.initial.get(name) or "" for name in form.fields}
    body.update(organisation=cast.organisation_x.pk, reason="Every day matters.")
    body["summary"] = "A nurse at every school, every single day."
    response = client.post(url, body)
    amendment = Amendment.objects.get()
    assert response.status_code == 302 and amendment.changes == {"summary": body["summary"]}
    page = cast.client_for("leader").get(demand.get_absolute_url()).content.decode()
    assert amendment.get_absolute_url() in page and "Proposed" in page
    detail = cast.client_for("leader").get(amendment.get_absolute_url()).content.decode()
    assert "<ins>single </ins>" in detail or "<ins>single" in detail


# Merging duplicates ---------------------------------------------------------------------


@time_machine.travel(EVENING, tick=False)
def test_merging_moves_endorsements_and_amendments_and_keeps_both_histories(cast):
    kept = make_demand(cast.campaign, by=cast.leader, title="Nurses in every school")
    duplicate = make_demand(
        cast.campaign, by=cast.leader, title="A nurse per school", coauthors=[cast.organisation_x]
    )
    DemandEndorsement.objects.create(demand=duplicate, organisation=cast.organisation_y)
    amendment = _amend(cast, duplicate)
    client = cast.client_for("leader")
    url = reverse("demands:merge", args=[duplicate.pk])
    assert "1 endorsement moves." in client.get(url).content.decode()
    assert client.post(url, {"kept": kept.pk}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.status == "withdrawn"
    assert list(kept.endorsements.values_list("organisation", flat=True)) == [
        cast.organisation_y.pk
    ]
    assert Amendment.objects.get(pk=amendment.pk).demand == kept
    assert cast.organisation_x in kept.coauthors.all()
    assert duplicate.revisions.exists() and duplicate.transitions.exists()
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 302 and response.url == kept.get_absolute_url()
    history = client.get(reverse("demands:history", args=[duplicate.pk]))
    assert history.status_code == 200
    with pytest.raises(TransitionError):
        duplicate.merge_into(kept, by=cast.leader)


# Queries --------------------------------------------------------------------------------


def _demand_page_queries(cast, demand) -> int:
    client = cast.client_for("leader")
    client.get(demand.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(demand.get_absolute_url()).status_code == 200
    return len(queries)


@time_machine.travel(EVENING, tick=False)
def test_the_demand_page_queries_do_not_grow_with_decisions_and_amendments(cast):
    small = _in_review(cast)
    large = _in_review(cast, title="Counselors")
    for demand, count in ((small, 1), (large, 6)):
        for n in range(count):
            decision = _ask(cast, demand)
            decision.answer(
                organisation=cast.organisation_x, choice="agree", reason="Y", by=cast.partner_x
            )
            decision.close(by=cast.leader)
            _amend(cast, Demand.objects.get(pk=demand.pk), title=f"{demand.title} {n}")
    assert _demand_page_queries(cast, small) == _demand_page_queries(cast, large)


@time_machine.travel(EVENING, tick=False)
def test_the_deadline_a_leader_types_is_the_locals_time_and_one_request_is_open_at_once(cast):
    demand = _in_review(cast)
    client = cast.client_for("leader")
    ask = reverse("demands:decision_ask", args=[demand.pk])
    assert ask in client.get(demand.get_absolute_url()).content.decode()
    body = {
        "organisations": [cast.organisation_x.pk, cast.organisation_y.pk],
        "deadline": "2026-12-10T17:00",
    }
    assert client.post(ask, body).status_code == 302
    assert DecisionRequest.objects.get().deadline == DEADLINE  # 01:00 UTC on the 11th
    assert ask not in client.get(demand.get_absolute_url()).content.decode()
    assert client.post(ask, body).status_code == 200  # refused with the reason
    assert DecisionRequest.objects.count() == 1
