"""The demo campaign's escalation ladder: actions past and upcoming, who came, evaluations,
public RSVPs and the reminders they planned. Keyed on titles, so a second run changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from actions import reminders
from actions.models import Action, Evaluation, Participation, Reminder, Rsvp, Tactic
from campaigns.models import Member
from demands.models import Demand, Target

# (days from today, start hour, hours, tactic position, title, place, public, goal, buildings,
#  invited organisations, escalations, evaluation (turnout, effect, why) or None)
ACTIONS = [
    (
        -62, 15, 2, 1, "Petition drive: a nurse and a counselor in every school",
        "Every school site, after the bell", False, 1000, None, [0, 1],
        "voice,base", (1124, "helped", "1,124 members and 900 parents signed in two weeks; the "
                       "board had to put nurses on its agenda."),
    ),
    (
        -47, 7, 1, 2, "Button day at every site", "Every school site", False, 1200, None, [],
        "base", (1010, "helped", "Most sites near 80%; three sites below half need 1-on-1s."),
    ),
    (
        -40, 7, 9, 3, "Red Thursdays begin", "Every school site", False, 900, None, [],
        "base,voice", (780, "helped", "A sea of red in photos on social media; parents asked "
                       "what it meant, which opened conversations."),
    ),
    (
        -21, 7, 1, 8, "Rally before school and walk in together: Oak Grove and Rio Vista",
        "Oak Grove Elementary, front gate", True, 150, [0, 1], [0],
        "voice,base,crisis", (172, "helped", "Parents walked in with us; the principal came out "
                              "to watch. Local TV ran 40 seconds."),
    ),
    (
        -14, 14, 2, 7, "Flyers to parents at pick-up", "Del Paso and North Highlands schools",
        False, 60, [2, 3], [1], "voice",
        (35, "no_effect", "Rain and too few volunteers; parents took flyers but we had no "
         "sign-up sheet. Next time: pair each steward with a parent leader."),
    ),
    (
        -7, 18, 3, 10, "Packed school-board meeting: housing for students without a home",
        "District office board room, 5115 Dudley Boulevard", True, 300, None, [0, 1, 2],
        "target,crisis,voice", (340, "helped", "Standing room only; 22 public comments, four "
                                "from students. The board asked staff for a housing report."),
    ),
    (
        3, 7, 9, 3, "Red Thursday: wear red for smaller classes", "Every school site", False,
        1100, None, [], "base", None,
    ),
    (
        9, 7, 1, 8, "Rally before school and walk in together: Del Paso and North Highlands",
        "Del Paso Heights Elementary, main entrance", True, 200, [0, 2, 3], [0, 1, 3],
        "voice,base", None,
    ),
    (
        16, 18, 3, 10, "Packed school-board meeting: restorative justice, not suspensions",
        "District office board room, 5115 Dudley Boulevard", True, 400, None, [0, 1, 3, 5],
        "target,voice", None,
    ),
    (
        30, 15, 2, 12, "Informational picket at the district office",
        "5115 Dudley Boulevard, McClellan", True, 800, None, [0, 1, 2, 3, 7],
        "crisis,target,voice,base", None,
    ),
    (
        45, 18, 1, 14, "Walk out of the board meeting together", "District office board room",
        False, 500, None, [], "crisis,target", None,
    ),
]  # fmt: skip

PUBLIC_RSVPS = [
    ("Lorena Castillo", "lorena.castillo@example.org", True),
    ("Pastor James Whitfield", "j.whitfield@example.org", True),
    ("Kou Lee", "kou.lee@example.org", False),
    ("Brianna Moss", "brianna.moss@example.org", True),
]
PARTNER_PEOPLE = ["Denise Walker", "Carmen Ruiz", "Tomás Ortega", "Shirley Hayes"]


def _at(local_tz: ZoneInfo, today: date, days: int, hour: int) -> datetime:
    """``days`` from today, at ``hour``, both where the local is."""
    return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=local_tz)


def seed(context: dict) -> None:
    campaign, local = context["campaign"], context["local"]
    buildings, organisations = context["buildings"], context["organisations"]
    local_tz = ZoneInfo(local.timezone)
    Tactic.start_ladder(campaign)
    tactics = {t.position: t for t in Tactic.objects.filter(campaign=campaign)}
    board = Target.objects.filter(campaign=campaign, name__icontains="board").first()
    demands = list(Demand.objects.filter(campaign=campaign)[:3])
    actions = []
    for row in ACTIONS:
        days, hour, hours, level, title, place, public, goal = row[:8]
        building_idx, org_idx, escalations, evaluation = row[8:]
        starts = _at(local_tz, context["today"], days, hour)
        action, created = Action.objects.get_or_create(
            campaign=campaign,
            title=title,
            defaults={
                "tactic": tactics[level],
                "description": "",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours),
                "place": place,
                "is_public": public,
                "turnout_goal": goal,
                "target": board if "target" in escalations else None,
                "status": Action.Status.DONE if evaluation else Action.Status.PLANNED,
                "created_by": context["leader"],
                **{f"escalates_{e}": True for e in escalations.split(",")},
            },
        )
        actions.append(action)
        if not created:
            continue
        action.record_level()
        if building_idx:
            action.buildings.set([buildings[i] for i in building_idx])
        action.invited_organisations.set([organisations[i] for i in org_idx])
        if "target" in escalations:
            action.demands.set(demands)
        if evaluation:
            turnout, effect, why = evaluation
            Evaluation.objects.create(
                action=action,
                turnout=turnout,
                effect=effect,
                why=why,
                evaluated_by=context["leader"],
            )
    _participation(context, actions)
    _rsvps(context, actions)
    for action in actions:
        if action.starts_at > timezone.now():
            reminders.plan_action(action)
    _failed_reminder(context, actions)
    context["actions"] = actions


def _participation(context: dict, actions: list[Action]) -> None:
    """The demo steward's buildings: who came to the walk-in, who says they are coming next."""
    members = list(
        Member.objects.current()
        .filter(building__in=context["buildings"][:2])
        .order_by("employee_id")[:40]
    )
    walk_in, next_walk_in = actions[3], actions[7]
    for n, member in enumerate(members):
        Participation.objects.get_or_create(
            action=walk_in,
            member=member,
            defaults={"coming": True, "attended": n % 5 != 0, "recorded_by": context["steward"]},
        )
    for member in members[:12]:
        Participation.objects.get_or_create(
            action=next_walk_in,
            member=member,
            defaults={"coming": True, "recorded_by": context["steward"]},
        )


def _rsvps(context: dict, actions: list[Action]) -> None:
    for action in [actions[7], actions[8]]:
        for name, email, consent in PUBLIC_RSVPS:
            Rsvp.objects.get_or_create(
                action=action,
                source=Rsvp.Source.PUBLIC,
                email=email,
                defaults={"name": name, "consent_to_contact": consent},
            )
        for name in PARTNER_PEOPLE:
            Rsvp.objects.get_or_create(
                action=action,
                source=Rsvp.Source.PARTNER,
                name=name,
                organisation=context["organisations"][0],
                defaults={"added_by": context["partner"]},
            )


def _failed_reminder(context: dict, actions: list[Action]) -> None:
    """One reminder the mail server kept refusing, so the failures page has something to show."""
    action = actions[8]
    Reminder.objects.get_or_create(
        key=f"demo:failed:{action.pk}",
        defaults={
            "campaign": context["campaign"],
            "action": action,
            "event_label": "actions.action",
            "event_id": action.pk,
            "recipient_email": "old.address@mail.example",
            "recipient_name": "Terrence Gomez",
            "reason": "you said you are coming to this action",
            "offset_minutes": 7 * 24 * 60,
            "due_at": timezone.now() - timedelta(hours=3),
            "next_attempt_at": timezone.now() - timedelta(hours=3),
            "status": Reminder.Status.FAILED,
            "attempts": 5,
            "last_error": "SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
        },
    )
