"""The coalition decides together, in the demo: the ethnic studies demand is before the partner
organisations (one agreed, one agreed with concerns, the demo partner's still to answer), and
the interpreters demand has one accepted and one pending amendment. Safe to run again."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Role
from campaigns.zones import zone_of
from demands.models import AdoptionRule, Amendment, DecisionRequest, Demand

from .campaigns import demo_today, demo_user

DECIDING = "Ethnic studies taught by trained educators"
AMENDED = "Interpreters and family liaisons at every site"


def _partner(local, organisation, email: str, first: str, last: str):
    user = demo_user(email, first, last)
    Membership.objects.get_or_create(
        user=user, local=local, defaults={"role": Role.PARTNER, "organisation": organisation}
    )
    return user


def seed(context: dict) -> None:
    campaign, organisations = context["campaign"], context["organisations"]
    leader, partner = context["leader"], context["partner"]
    local = campaign.local
    AdoptionRule.objects.get_or_create(
        campaign=campaign,
        defaults={"no_coauthor_objection": True, "min_agreeing_percent": 50, "updated_by": leader},
    )
    youth = _partner(local, organisations[4], "youth.partner@example.org", "Kiara", "Nguyen")
    faith = _partner(local, organisations[5], "faith.partner@example.org", "Samuel", "Okafor")
    demand = Demand.objects.filter(campaign=campaign, title=DECIDING).first()
    if demand is not None and not demand.decision_requests.exists():
        # The deadline is next Friday at 17:00, the local's time.
        today = demo_today()
        friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
        deadline = datetime.combine(friday, time(17, 0), tzinfo=zone_of(local))
        decision = DecisionRequest.ask(
            demand,
            organisations=[organisations[0], organisations[4], organisations[5]],
            deadline=max(deadline, timezone.now() + timedelta(days=2)),
            by=leader,
            question="Do we adopt ethnic studies as a coalition demand for the table?",
        )
        decision.answer(
            organisation=organisations[4],
            choice="agree",
            reason="Our students asked for this at every listening session.",
            by=youth,
        )
        decision.answer(
            organisation=organisations[5],
            choice="concerns",
            reason="We agree, and want the training budget written into the demand.",
            by=faith,
        )
    amended = Demand.objects.filter(campaign=campaign, title=AMENDED).first()
    if amended is not None and not amended.amendments.exists():
        accepted = Amendment.propose(
            amended,
            organisation=organisations[0],
            changes={
                "summary": amended.summary
                + " Families are told in their own language, in writing and by phone."
            },
            reason="Parents who do not read English miss the letters home.",
            by=partner,
            version=amended.version,
        )
        accepted.accept(by=leader)
        amended.refresh_from_db()
        Amendment.propose(
            amended,
            organisation=organisations[0],
            changes={
                "solution": amended.solution
                + " Hmong and Spanish first, then every language spoken by 50 families."
            },
            reason="Name the languages so the district cannot stop at one.",
            by=partner,
            version=amended.version,
        )
