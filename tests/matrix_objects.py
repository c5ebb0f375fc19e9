"""Objects and form bodies for the access matrix (tests/test_access_matrix.py).

Each ``*_kwargs`` builder creates one object on the A/X side of the cast (a member of building
A, a demand co-authored by organisation X, ...) and returns the URL kwargs that reach it. Each
``*_form`` builder returns a valid POST body for that view, so an allowed POST succeeds; it
receives the URL kwargs when the body depends on the object.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions import reminders
from actions.forms import RSVP_SALT
from actions.models import CalendarFeed, Reminder, Rsvp, Tactic
from bargaining.models import PublishedReport
from broadcasts import composing as broadcast_composing
from broadcasts.models import Broadcast, Delivery, Link
from campaigns.assessment import STATEMENTS
from campaigns.models import ImportBatch, Member, Milestone, Team
from campaigns.roster import parse_roster, store_sheets
from campaigns.zones import zone_of
from demands.models import ASSESSMENT_FIELDS, Amendment, DecisionRequest, DemandEndorsement
from partners.models import Contact
from reach.models import Consent

from . import factories as f
from .actions.factories import make_action
from .bargaining import factories as bf
from .broadcasts.factories import make_broadcast
from .campaigns.factories import make_test
from .demands.factories import make_demand, make_target
from .partners.factories import PDF, make_finding, make_session, make_support
from .reach.factories import make_supporter

_numbers = itertools.count(1)


def _n() -> int:
    return next(_numbers)


def _today() -> str:
    # The cast's local's day (its zone is Los Angeles): after 16:00 there, UTC is tomorrow.
    return timezone.localdate(timezone=ZoneInfo("America/Los_Angeles")).isoformat()


def slug(cast) -> dict:
    return {"slug": cast.campaign.slug}


# Campaign HQ ---------------------------------------------------------------------------------

ROSTER = b"Employee ID,First Name,Last Name\nE900001,Ada,Acosta\n"
ROSTER_MAPPING = {
    "employee_id": "Employee ID",
    "first_name": "First Name",
    "last_name": "Last Name",
}


def building_form(cast, kwargs) -> dict:
    return {"name": "Oak Grove Elementary", "kind": "elementary", "address": "1 Oak Grove Way"}


def member_a_kwargs(cast) -> dict:
    return {"pk": f.make_member(cast.building_a).pk}


def member_form(cast, kwargs) -> dict:
    member = Member.objects.get(pk=kwargs["pk"])
    return {
        "first_name": member.first_name,
        "last_name": "Renamed",
        "building": cast.building_a.pk,
        "employee_id": member.employee_id,
        "work_email": member.work_email,
    }


def conversation_form(cast, kwargs) -> dict:
    return {"held_on": _today(), "outcome": "committed", "ask": "Sign the petition"}


def participation_toggle_kwargs(cast) -> dict:
    member = f.make_member(cast.building_a)
    return {"test_pk": make_test(cast.campaign).pk, "member_pk": member.pk}


def meeting_form(cast, kwargs) -> dict:
    return {"held_on": _today(), "agenda": "The petition"}


def field_sync_form(cast, kwargs) -> dict:
    """A phone's queue: one 1-on-1 with a member of building A (steward B's is refused)."""
    member = f.make_member(cast.building_a)
    change = {
        "key": str(uuid.uuid4()),
        "kind": "conversation",
        "building": cast.building_a.pk,
        "member": member.pk,
        "recorded_at": timezone.now().isoformat(),
        "data": {"held_on": _today(), "outcome": "committed"},
    }
    return {"changes": json.dumps([change])}


def milestone_kwargs(cast) -> dict:
    milestone = Milestone.objects.create(
        campaign=cast.campaign, title="Survey every building", due_on="2027-01-15"
    )
    return {"pk": milestone.pk}


def milestone_form(cast, kwargs) -> dict:
    return {"title": "Survey every building", "due_on": "2027-02-01"}


def team_kwargs(cast) -> dict:
    """A team led by steward A, with partner X on it."""
    team = Team.objects.create(
        campaign=cast.campaign, kind=Team.Kind.ORGANIZING, lead=cast.steward_a
    )
    team.members.add(cast.steward_a, cast.partner_x)
    return {"pk": team.pk}


def team_form(cast, kwargs) -> dict:
    return {
        "purpose": "Build the structure",
        "lead": cast.steward_a.pk,
        "members": [cast.steward_a.pk, cast.partner_x.pk],
    }


def task_kwargs(cast) -> dict:
    team = Team.objects.get(pk=team_kwargs(cast)["pk"])
    return {"pk": team.tasks.create(title="Recruit stewards").pk}


def campaign_form(cast, kwargs) -> dict:
    return {
        "local": cast.local.pk,
        "name": "Next contract",
        "slug": f"next-contract-{_n()}",
        "bargaining_target_date": "2029-07-01",
    }


def plan_form(cast, kwargs) -> dict:
    return {"summary": "Schools our students deserve", "vision": "A nurse in every school"}


def structure_test_form(cast, kwargs) -> dict:
    return {"name": "Wear red on Thursday", "held_on": "2026-11-05"}


def assessment_form(cast, kwargs) -> dict:
    return {"taken_on": _today(), **{statement.key: "3" for statement in STATEMENTS}}


def roster_upload_form(cast, kwargs) -> dict:
    return {
        "local": cast.local.pk,
        "file": SimpleUploadedFile("roster.csv", ROSTER, content_type="text/csv"),
    }


def import_batch_kwargs(cast) -> dict:
    """An uploaded roster of the cast's local, mapped and waiting for preview and import."""
    batch = ImportBatch(
        local=cast.local,
        uploaded_by=cast.leader,
        original_name="roster.csv",
        mapping=ROSTER_MAPPING,
        mark_missing_as_left=False,
    )
    store_sheets(batch, parse_roster(ROSTER))
    return {"pk": batch.pk}


def imported_batch_kwargs(cast) -> dict:
    """A roster of the cast's local, imported: it can be looked at and undone."""
    batch = ImportBatch(
        local=cast.local,
        uploaded_by=cast.leader,
        original_name="roster.csv",
        mapping=ROSTER_MAPPING,
    )
    store_sheets(batch, parse_roster(ROSTER))
    batch.run(by=cast.leader)
    return {"pk": batch.pk}


def mapping_form(cast, kwargs) -> dict:
    # Every roster field is a select, "building" among them: say the file has none.
    return {**ROSTER_MAPPING, "building": ""}


def task_form(cast, kwargs) -> dict:
    return {"title": "Map building A"}


# Partners -----------------------------------------------------------------------------------


def organisation_x_kwargs(cast) -> dict:
    return {"pk": cast.organisation_x.pk}


def organisation_form(cast, kwargs) -> dict:
    return {"name": f"Organisation {_n()}", "kind": "parent", "stage": "identified"}


def organisation_x_form(cast, kwargs) -> dict:
    return {"name": cast.organisation_x.name, "kind": "parent", "stage": "coalition"}


def member_mapping_form(cast, kwargs) -> dict:
    """Mark a member of building A as knowing the organisation (or the target)."""
    return {"member": f.make_member(cast.building_a).pk}


def contact_form(cast, kwargs) -> dict:
    return {"name": "Rosa Parent", "role": "Chair", "email": "rosa@example.org"}


def contact_x_kwargs(cast) -> dict:
    contact = Contact.objects.create(organisation=cast.organisation_x, name="Rosa Parent")
    return {"pk": contact.pk}


def listening_session_x_kwargs(cast) -> dict:
    return {"pk": make_session(cast.organisation_x).pk}


def listening_session_form(cast, kwargs) -> dict:
    return {
        "title": "Parents' night",
        "kind": "meeting",
        "held_on": "2026-03-04",
        "attendance": "40",
    }


def finding_form(cast, kwargs) -> dict:
    return {"kind": "problem", "text": "No nurse on campus three days a week."}


def finding_x_kwargs(cast) -> dict:
    return {"pk": make_finding(make_session(cast.organisation_x)).pk}


def make_demand_form(cast, kwargs) -> dict:
    return {"campaign": cast.campaign.pk}


def support_form(cast, kwargs) -> dict:
    return {
        "campaign": cast.campaign.pk,
        "kind": "letter",
        "title": "Letter of support",
        "received_on": "2026-04-01",
    }


def support_document_x_kwargs(cast) -> dict:
    support = make_support(cast.organisation_x, cast.campaign, content_type="application/pdf")
    support.document.save("letter.pdf", ContentFile(PDF))
    return {"pk": support.pk}


# Demands and the power map --------------------------------------------------------------------


def demand_x_kwargs(cast, **extra) -> dict:
    """A draft demand of the cast's campaign, co-authored by organisation X."""
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x], **extra)
    return {"pk": demand.pk}


def published_demand_x_kwargs(cast) -> dict:
    return demand_x_kwargs(cast, published_at=timezone.now(), published_by=cast.leader)


def endorsed_demand_x_kwargs(cast) -> dict:
    kwargs = demand_x_kwargs(cast)
    DemandEndorsement.objects.create(
        demand_id=kwargs["pk"], organisation=cast.organisation_x, by=cast.partner_x
    )
    return kwargs


def new_demand_form(cast, kwargs) -> dict:
    return {
        "campaign": cast.campaign.pk,
        "title": "Counselors in every school",
        "summary": "One counselor per 250 students.",
        "category": "health",
        "priority": "2",
    }


def demand_form(cast, kwargs) -> dict:
    """The editor's body; leader-only fields keep the demand co-authored by X."""
    return {
        "version": "1",
        "title": "Nurses in every school",
        "summary": "A nurse at every school, every day, all year.",
        **dict.fromkeys(ASSESSMENT_FIELDS, ""),
        "category": "health",
        "priority": "1",
        "coauthors": [cast.organisation_x.pk],
    }


def endorsement_form(cast, kwargs) -> dict:
    return {"organisation": cast.organisation_x.pk}


def decision_ask_form(cast, kwargs) -> dict:
    deadline = timezone.localtime(timezone.now() + timedelta(days=7), zone_of(cast.local))
    return {
        "organisations": [cast.organisation_x.pk],
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "question": "Do you agree?",
    }


def decision_x_kwargs(cast) -> dict:
    """An open request on a demand co-authored by X, put to organisation X."""
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    request = DecisionRequest.ask(
        demand,
        organisations=[cast.organisation_x],
        deadline=timezone.now() + timedelta(days=7),
        by=cast.leader,
    )
    return {"pk": request.pk}


def decision_answer_form(cast, kwargs) -> dict:
    return {"organisation": cast.organisation_x.pk, "choice": "agree", "reason": "It helps."}


def adoption_rule_form(cast, kwargs) -> dict:
    return {"no_coauthor_objection": "on", "min_agreeing_percent": "50"}


def amendment_form(cast, kwargs) -> dict:
    return {
        "version": "1",
        "organisation": cast.organisation_x.pk,
        "reason": "Say every day.",
        "title": "Nurses in every school",
        "summary": "A nurse at every school, every day, all year.",
        **dict.fromkeys(ASSESSMENT_FIELDS, ""),
    }


def amendment_x_kwargs(cast) -> dict:
    """A pending amendment from organisation X to a demand X co-authors."""
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])
    amendment = Amendment.propose(
        demand,
        organisation=cast.organisation_x,
        changes={"summary": "A nurse at every school, all year."},
        reason="All year.",
        by=cast.partner_x,
        version=demand.version,
    )
    return {"pk": amendment.pk}


def outdated_amendment_x_kwargs(cast) -> dict:
    kwargs = amendment_x_kwargs(cast)
    demand = Amendment.objects.get(pk=kwargs["pk"]).demand
    demand.edit(changes={"problem": "Nobody checks."}, by=cast.leader, expected_version=1)
    return kwargs


def decline_form(cast, kwargs) -> dict:
    return {"reason": "Out of scope."}


def merge_form(cast, kwargs) -> dict:
    kept = make_demand(cast.campaign, by=cast.leader, title="A nurse in each school")
    return {"kept": kept.pk}


def target_kwargs(cast) -> dict:
    return {"pk": make_target(cast.campaign).pk}


def target_form(cast, kwargs) -> dict:
    return {
        "campaign": cast.campaign.pk,
        "name": "Superintendent",
        "kind": "decision_maker",
        "power": "5",
        "alignment": "0",
    }


# Actions --------------------------------------------------------------------------------------


def translations_form(cast, kwargs) -> dict:
    """A Spanish title for the demand or action of ``kwargs``, the local publishing in it."""
    cast.local.content_languages = ["es"]
    cast.local.save(update_fields=["content_languages"])
    return {"version": 1, "title_es": "Enfermeras en cada escuela"}


def action_x_kwargs(cast, **extra) -> dict:
    """An internal action of the cast's campaign to which organisation X is invited."""
    action = make_action(cast.campaign, invited_organisations=[cast.organisation_x], **extra)
    return {"pk": action.pk}


def past_action_x_kwargs(cast) -> dict:
    return action_x_kwargs(cast, days=-1)


def public_action_kwargs(cast) -> dict:
    return {"pk": make_action(cast.campaign, is_public=True).pk}


def action_form(cast, kwargs) -> dict:
    starts = timezone.localtime() + timedelta(days=20)
    return {
        "tactic": Tactic.start_ladder(cast.campaign)[0].pk,
        "title": "Rally at the board meeting",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "District office",
        "invited_organisations": [cast.organisation_x.pk],
        "change_reason": "The hall is free that day.",
    }


def cancel_form(cast, kwargs) -> dict:
    return {"reason": "The board moved its meeting."}


def evaluation_form(cast, kwargs) -> dict:
    return {"turnout": "40", "effect": "helped", "why": "The board moved the vote."}


def participation_mark_kwargs(cast) -> dict:
    return {**action_x_kwargs(cast), "member_pk": f.make_member(cast.building_a).pk}


def partner_rsvp_form(cast, kwargs) -> dict:
    return {"names": "Pat Parent\nSam Neighbour"}


def partner_rsvp_x_kwargs(cast) -> dict:
    kwargs = action_x_kwargs(cast)
    rsvp = Rsvp.objects.create(
        action_id=kwargs["pk"],
        source=Rsvp.Source.PARTNER,
        name="Pat Parent",
        organisation=cast.organisation_x,
        added_by=cast.partner_x,
    )
    return {**kwargs, "rsvp_pk": rsvp.pk}


def public_rsvp_form(cast, kwargs) -> dict:
    """A person's answer: a form stamped ten seconds ago, and an email not used before."""
    issued = signing.dumps({"a": kwargs["pk"], "t": time.time() - 10}, salt=RSVP_SALT)
    return {"name": "Pat Parent", "email": f"pat{_n()}@example.org", "issued": issued}


def rsvp_cancel_kwargs(cast) -> dict:
    rsvp = Rsvp.objects.create(
        action_id=public_action_kwargs(cast)["pk"],
        source=Rsvp.Source.PUBLIC,
        name="Pat Parent",
        email=f"pat{_n()}@example.org",
    )
    return {"token": reminders.rsvp_cancel_token(rsvp.pk)}


def digest_send_form(cast, kwargs) -> dict:
    return {"confirm": "yes"}


def tactic_kwargs(cast) -> dict:
    """The top rung of the toolkit's ladder, which no action uses."""
    return {"pk": Tactic.start_ladder(cast.campaign)[-1].pk}


def tactic_form(cast, kwargs) -> dict:
    return {"name": f"Sit-in {_n()}", "description": "At the district office."}


def reminder_settings_form(cast, kwargs) -> dict:
    return {"offsets": "7d, 1d"}


def failed_reminder_kwargs(cast) -> dict:
    action = make_action(cast.campaign)
    now = timezone.now()
    reminder = Reminder.objects.create(
        key=f"matrix-{_n()}",
        campaign=cast.campaign,
        action=action,
        recipient_email="member@district.example",
        due_at=now,
        next_attempt_at=now,
        status=Reminder.Status.FAILED,
        attempts=5,
        last_error="Connection refused",
    )
    return {"pk": reminder.pk}


def unsubscribe_kwargs(cast) -> dict:
    """The signed link from a reminder email: whoever holds it may use it."""
    return {"token": reminders.unsubscribe_token("member@district.example", "reminders")}


# Broadcasts ------------------------------------------------------------------------------------


def broadcast_kwargs(cast) -> dict:
    """A draft broadcast to building A's members."""
    return {"pk": make_broadcast(cast.campaign, building=cast.building_a).pk}


def scheduled_broadcast_kwargs(cast) -> dict:
    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    broadcast.schedule(by=cast.leader, send_at=timezone.now() + timedelta(days=1))
    return {"pk": broadcast.pk}


def broadcast_form(cast, kwargs=None) -> dict:
    return {
        "name": "Matrix update",
        "audience": Broadcast.Audience.MEMBERS,
        "default_language": "en",
        "subject_en": "An update",
        "body_en": "Come on Thursday.",
    }


def partner_broadcast_kwargs(cast) -> dict:
    """A draft of organisation X's to the supporters it brought."""
    broadcast = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    return {"pk": broadcast.pk}


def scheduled_partner_broadcast_kwargs(cast) -> dict:
    supporter = make_supporter(cast.local, brought_by=cast.organisation_x)
    supporter.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how=Consent.How.ONLINE,
        wording="Updates from X",
        organisation=cast.organisation_x,
    )
    broadcast = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    broadcast.schedule(by=cast.partner_x, send_at=timezone.now() + timedelta(days=1))
    return {"pk": broadcast.pk}


def partner_broadcast_form(cast, kwargs=None) -> dict:
    return {
        "name": "Parents' update",
        "campaign": cast.campaign.pk,
        "default_language": "en",
        "subject_en": "Come to the board meeting",
        "body_en": "We need you there.",
    }


def _delivery(cast) -> Delivery:
    broadcast = make_broadcast(cast.campaign)
    return Delivery.objects.create(
        broadcast=broadcast,
        key=f"matrix-{_n()}",
        recipient_email="member@district.example",
        next_attempt_at=timezone.now(),
        status=Delivery.Status.SENT,
    )


def broadcast_unsubscribe_kwargs(cast) -> dict:
    """The signed link from a broadcast: whoever holds it may use it."""
    return {"token": broadcast_composing.unsubscribe_token(_delivery(cast).pk)}


def click_kwargs(cast) -> dict:
    link = Link.extract(make_broadcast(cast.campaign))["https://example.org/update"]
    return {"token": link.token}


def calendar_feed_kwargs(cast) -> dict:
    """Steward A's private calendar address: whoever holds it may read it."""
    return {"token": CalendarFeed.issue(cast.steward_a)}


# Bargaining and the open pages -----------------------------------------------------------------


def session_kwargs(cast) -> dict:
    return {"pk": bf.make_session(cast.campaign, published=False).pk}


def session_form(cast, kwargs) -> dict:
    return {
        "starts_at": "2026-09-10T17:00",
        "ends_at": "2026-09-10T20:00",
        "place": "District board room",
        "format": "open",
        "status": "held",
        "member_observers": "12",
        "community_observers": "3",
        "public_summary": "We proposed smaller classes.",
    }


def proposal_kwargs(cast) -> dict:
    proposal = bf.make_proposal(cast.campaign)
    bf.make_version(proposal, published=False, by=cast.leader)
    return {"pk": proposal.pk}


def proposal_form(cast, kwargs) -> dict:
    return {"article": "", "topic": "Class size"}


def version_form(cast, kwargs) -> dict:
    return {"side": "employer", "passed_on": "2026-09-17", "status": "open", "text": "Counter."}


def new_proposal_form(cast, kwargs) -> dict:
    return {
        **{f"thread-{name}": value for name, value in proposal_form(cast, kwargs).items()},
        **{f"version-{name}": value for name, value in version_form(cast, kwargs).items()},
    }


def version_kwargs(cast) -> dict:
    proposal = bf.make_proposal(cast.campaign)
    return {"pk": bf.make_version(proposal, published=False, by=cast.leader).pk}


def article_form(cast, kwargs) -> dict:
    return {"number": f"A{_n()}", "title": "Class size"}


def agreement_kwargs(cast) -> dict:
    return {"pk": bf.make_agreement(cast.campaign, published=False).pk}


def agreement_form(cast, kwargs) -> dict:
    return {
        "title": "Class size",
        "signed_on": "2026-11-10",
        "union_signatories": "Union negotiator",
        "employer_signatories": "District negotiator",
    }


def event_kwargs(cast) -> dict:
    return {"pk": bf.make_event(cast.campaign, published=False).pk}


def event_form(cast, kwargs) -> dict:
    return {"kind": "impasse", "occurred_on": "2027-01-10", "title": "Impasse declared"}


def session_item_kwargs(cast) -> dict:
    return {"kind": "session", **session_kwargs(cast)}


def event_item_kwargs(cast) -> dict:
    return {"kind": "event", **event_kwargs(cast)}


def record_translations_form(cast, kwargs) -> dict:
    """A Spanish title for the bargaining record of ``kwargs``, the local publishing in it."""
    cast.local.content_languages = ["es"]
    cast.local.save(update_fields=["content_languages"])
    return {"version": 1, "title_es": "Impasse declarado"}


def public_page_form(cast, kwargs) -> dict:
    return {"is_on": "on", "story": "We bargain in the open."}


def open_campaign_kwargs(cast) -> dict:
    """The cast's campaign with its public page on and one published session."""
    bf.make_public_page(cast.campaign)
    bf.make_session(cast.campaign)
    return slug(cast)


def commitment_kwargs(cast) -> dict:
    return {"pk": bf.make_commitment(cast.campaign, published=False).pk}


def commitment_evidence_kwargs(cast) -> dict:
    commitment = bf.make_commitment(cast.campaign, published=False)
    commitment.evidence_document.save("evidence.pdf", ContentFile(PDF))
    commitment.evidence_content_type = "application/pdf"
    commitment.save()
    return {"pk": commitment.pk}


def open_evidence_kwargs(cast) -> dict:
    """A published commitment of a published won demand, with a document as evidence."""
    open_campaign_kwargs(cast)
    commitment = bf.make_commitment(cast.campaign)
    commitment.evidence_document.save("evidence.pdf", ContentFile(PDF))
    commitment.evidence_content_type = "application/pdf"
    commitment.save()
    return {"slug": cast.campaign.slug, "pk": commitment.pk}


def commitment_form(cast, kwargs) -> dict:
    demand = bf.make_demand(cast.campaign, status="won")
    return {
        "demand": demand.pk,
        "title": "Hire counselors",
        "owner_kind": "joint_committee",
        "due_on": "2027-05-01",
        "status": "under_way",
        "evidence_link": "https://district.example/counselors",
    }


def open_articles_kwargs(cast) -> dict:
    """The cast's public page with the article tracker on and one published position."""
    bf.make_public_page(cast.campaign, tracker_on=True)
    bf.make_version(bf.make_proposal(cast.campaign))
    return slug(cast)


def article_kwargs(cast) -> dict:
    return {"pk": bf.make_article(cast.campaign).pk}


def open_report_kwargs(cast) -> dict:
    """A public page whose English report was rendered and stored (by the Celery task)."""
    kwargs = open_campaign_kwargs(cast)
    report = PublishedReport(
        campaign=cast.campaign,
        language="en",
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        pages=1,
        page_version=cast.campaign.public_version,
        rendered_at=timezone.now(),
    )
    report.file.save("report-en.pdf", ContentFile(PDF))
    return kwargs
