"""The access matrix: every route, as every member of the cast, for GET and POST.

The URL configuration is walked, so a new view with no rule here fails the suite. A refused
request must leave the database exactly as it was; every view that accepts POST refuses a request
without a CSRF token; and fields a form does not offer (``building``, ``published``, ``role``) are
ignored when smuggled into an allowed POST.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership

from . import factories as f
from . import matrix_api as a
from . import matrix_objects as o
from . import matrix_surveys as sv
from .conftest import ROLES, shared_cast
from .reach import matrix_objects as ro

OK = "ok"  # 200, or a redirect that is not to the sign-in page (after a successful POST)
LOGIN = "login"  # sent to sign in
# Refusals, and nothing changed. As STYLE.md has it, an object outside the person's scope is
# a 404 (the view's scoped queryset does not find it, so ids cannot be probed); an object in
# scope that the role may not change, or a page the role may not use at all, is a 403.
FORBIDDEN = 403
NOT_FOUND = 404

PUBLIC = dict.fromkeys(ROLES, OK)
# Field mode's JSON: stewards only; anyone else (signed out included) is told to forget.
STEWARDS = {**dict.fromkeys(ROLES, FORBIDDEN), "steward_a": OK, "steward_b": OK}
SIGNED_IN = {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}
LOCAL = {**SIGNED_IN, "other_leader": NOT_FOUND}  # the campaign: everyone in the local sees it
# The local's leaders' pages about the campaign (or about something only leaders work on):
# the local's other people know the campaign, so they are forbidden; another local finds nothing.
LEADERS = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "leader": OK,
           "other_leader": NOT_FOUND}  # fmt: skip
ANY_LEADER = {**LEADERS, "other_leader": OK}  # a list or a form scoped to the leader's locals
ONLY_LEADERS = {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": LOGIN, "leader": OK}
BUILDING_A = {**ONLY_LEADERS, "steward_a": OK}  # building A and its members
BUILDING_A_LEADERS = {**BUILDING_A, "steward_a": FORBIDDEN}
ORGANISATION_X = {**ONLY_LEADERS, "partner_x": OK}  # organisation X and its sessions
ORGANISATION_X_LEADERS = {**ORGANISATION_X, "partner_x": FORBIDDEN}
PARTNER_X_WRITES = {**ORGANISATION_X, "leader": FORBIDDEN}  # X's people write as X
UNION = {**ONLY_LEADERS, "steward_a": OK, "steward_b": OK}  # the local's leaders and stewards
UNION_LEADERS = {**UNION, "steward_a": FORBIDDEN, "steward_b": FORBIDDEN}
SHARED_X = {**UNION, "partner_x": OK}  # shared with organisation X: the union and X's people
SHARED_X_LEADERS = {**SHARED_X, "steward_a": FORBIDDEN, "steward_b": FORBIDDEN,
                    "partner_x": FORBIDDEN}  # fmt: skip
SHARED_X_AUTHORS = {**SHARED_X, "steward_a": FORBIDDEN, "steward_b": FORBIDDEN}  # co-authors
SHARED_X_UNION = {**SHARED_X, "partner_x": FORBIDDEN}  # about members: X's people may not
# X's own people signing up their own people.
PARTNER_X = {**SHARED_X, "leader": FORBIDDEN, "steward_a": FORBIDDEN, "steward_b": FORBIDDEN}
MARK_A = {**BUILDING_A, "partner_x": FORBIDDEN}  # a member of A at an action X may see
# Pages by role, about no one object: the role is forbidden whatever it asks for.
ORGANIZERS = {**SIGNED_IN, "partner_x": FORBIDDEN, "partner_y": FORBIDDEN}  # leaders, stewards
PARTNERS = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "partner_x": OK,
            "partner_y": OK}  # fmt: skip
# A listening survey's written answers: the local's leaders; its partners see the survey only.
LISTENING_LEADERS = {**ONLY_LEADERS, "partner_x": FORBIDDEN, "partner_y": FORBIDDEN}
TEAM = {**ONLY_LEADERS, "steward_a": OK, "partner_x": OK}  # steward A leads it, partner X is on it
TEAM_LEAD = {**TEAM, "partner_x": FORBIDDEN}
TEAM_LEADERS = {**TEAM, "steward_a": FORBIDDEN, "partner_x": FORBIDDEN}
OWN = "own"  # a page about the signed-in user's own invitation or roles: tested in its own file

# Routes outside the matrix: third-party views with their own tests upstream, and the
# language switch, which changes nothing but a cookie.
EXEMPT_NAMESPACES = {"admin", "djdt"}
EXEMPT_PREFIXES = ("account_", "mfa_", "socialaccount_", "set_language")


@dataclass(frozen=True)
class Route:
    kwargs: Callable = lambda cast: {}
    get: dict | None = None  # None: GET is not allowed (405 for everyone)
    post: dict | None = None  # None: POST is not allowed
    data: Callable = lambda cast, kwargs: {}  # a valid POST body for the object in kwargs
    changes_roles: bool = False  # the view's job is to change memberships
    publishes: bool = False  # the view's job is to publish or unpublish
    csrf_exempt: bool = False  # posted by machines that hold no CSRF token (say why)
    # An OSDI API route: called with the person's token in OSDI-API-Token, JSON in and out;
    # no token is a 401 (LOGIN's place) and a refusal is in the osdi:status shape.
    api: bool = False
    # Read by a script, not a person: a refusal is JSON telling the phone to forget its copy.
    answers_json: bool = False


def _invitation(cast):
    invitation, _token = _issue_invitation(cast)
    return {"pk": invitation.pk}


def _issue_invitation(cast):
    from accounts.models import Invitation, Role

    return Invitation.issue(
        local=cast.local,
        email="new-person@test.example",
        role=Role.STEWARD,
        invited_by=cast.leader,
        buildings=[cast.building_a],
    )


def _token(cast):
    _invitation, token = _issue_invitation(cast)
    return {"token": token}


def _bulk_change(cast):
    """A change of several members of building A in one request's context: one trail entry."""
    import pghistory

    with pghistory.context(user=cast.leader.pk) as context:
        for _ in range(5):
            f.make_member(cast.building_a)
    return {"key": str(context.id)}


def _steward_a_membership(cast):
    return {"pk": Membership.objects.get(user=cast.steward_a).pk}


ROUTES: dict[str, Route] = {
    # Foundation
    "home": Route(get=PUBLIC),
    "healthz": Route(get=PUBLIC),
    "robots_txt": Route(get=PUBLIC),
    "sitemap": Route(get=PUBLIC),
    "security_txt": Route(get=PUBLIC),
    # Installing the app: the manifest, icons and service worker hold nothing personal.
    "service_worker": Route(get=PUBLIC),
    "manifest": Route(get=PUBLIC),
    "apple_touch_icon": Route(get=PUBLIC),
    "favicon": Route(get=PUBLIC),
    "team:people": Route(lambda c: {"slug": c.local.slug}, get=LEADERS),
    "team:invite": Route(
        lambda c: {"slug": c.local.slug},
        get=LEADERS,
        post=LEADERS,
        data=lambda c, _: {"email": "invitee@test.example", "role": "leader"},
        changes_roles=True,
    ),
    "team:two_factor_policy": Route(
        lambda c: {"slug": c.local.slug}, post=LEADERS, data=lambda c, _: {"require": "on"}
    ),
    "team:resend_invitation": Route(_invitation, post=LEADERS, changes_roles=True),
    "team:revoke_invitation": Route(_invitation, post=LEADERS, changes_roles=True),
    "team:invitations": Route(lambda c: {"slug": c.local.slug}, get=LEADERS),
    "team:remove_membership": Route(
        _steward_a_membership, get=LEADERS, post=LEADERS, changes_roles=True
    ),
    # Each person's own account: everyone signed in has one, and changes only their own.
    "accounts:account": Route(
        get=SIGNED_IN,
        post=SIGNED_IN,
        data=lambda c, _: {"first_name": "Ana", "last_name": "Ruiz", "language": "es"},
    ),
    "accounts:accept_invitation": Route(_token, get=OWN, post=OWN, changes_roles=True),
    "audit:trail": Route(get=ANY_LEADER),
    "audit:entry": Route(_bulk_change, get=LEADERS),
    # Scoped search for the pickers: everyone signed in gets an answer with only what they see.
    "pickers:search": Route(lambda c: {"source": "buildings"}, get=SIGNED_IN),
    # Campaign HQ
    # Another local's leader gets the form back on create views: our local is not a choice.
    "campaigns:create": Route(get=ANY_LEADER, post=ANY_LEADER, data=o.campaign_form),
    "campaigns:detail": Route(o.slug, get=LOCAL),
    "campaigns:plan_edit": Route(o.slug, get=LEADERS, post=LEADERS, data=o.plan_form),
    "campaigns:milestone_add": Route(o.slug, get=LEADERS, post=LEADERS, data=o.milestone_form),
    "campaigns:milestone_edit": Route(
        o.milestone_kwargs, get=LEADERS, post=LEADERS, data=o.milestone_form
    ),
    "campaigns:milestone_toggle": Route(o.milestone_kwargs, post=LEADERS),
    "campaigns:structure_test_add": Route(
        o.slug, get=LEADERS, post=LEADERS, data=o.structure_test_form
    ),
    "campaigns:dashboard": Route(o.slug, get=LEADERS),
    "campaigns:assessment": Route(o.slug, get=LEADERS, post=LEADERS, data=o.assessment_form),
    "campaigns:team": Route(o.team_kwargs, get=TEAM),
    "campaigns:team_edit": Route(
        o.team_kwargs, get=TEAM_LEADERS, post=TEAM_LEADERS, data=o.team_form
    ),
    "campaigns:task_add": Route(o.team_kwargs, post=TEAM_LEAD, data=o.task_form),
    "campaigns:task_toggle": Route(o.task_kwargs, post=TEAM),  # the team's people tick tasks
    "campaigns:buildings": Route(get=SIGNED_IN),  # a list of what each may see
    "campaigns:building": Route(lambda c: {"pk": c.building_a.pk}, get=BUILDING_A),
    "campaigns:building_edit": Route(
        lambda c: {"pk": c.building_a.pk},
        get=BUILDING_A_LEADERS,
        post=BUILDING_A_LEADERS,
        data=o.building_form,
    ),
    "campaigns:building_organize": Route(lambda c: {"pk": c.building_a.pk}, get=BUILDING_A),
    "campaigns:meeting_log": Route(
        lambda c: {"pk": c.building_a.pk}, get=BUILDING_A, post=BUILDING_A, data=o.meeting_form
    ),
    "campaigns:my_buildings": Route(get=ORGANIZERS),  # leaders are sent to the building list
    "campaigns:field_data": Route(get=STEWARDS, answers_json=True),
    "campaigns:field_sync": Route(post=STEWARDS, data=o.field_sync_form, answers_json=True),
    "campaigns:members": Route(get=ORGANIZERS),  # a list of what each may see
    "campaigns:member": Route(o.member_a_kwargs, get=BUILDING_A),
    "campaigns:member_edit": Route(
        o.member_a_kwargs, get=BUILDING_A, post=BUILDING_A, data=o.member_form
    ),
    "campaigns:conversation_log": Route(
        o.member_a_kwargs, get=BUILDING_A, post=BUILDING_A, data=o.conversation_form
    ),
    "campaigns:participation_toggle": Route(o.participation_toggle_kwargs, post=BUILDING_A),
    "campaigns:member_export": Route(get=ORGANIZERS),  # what each may see, as the list
    "campaigns:import_upload": Route(get=ANY_LEADER, post=ANY_LEADER, data=o.roster_upload_form),
    "campaigns:import_mapping": Route(
        o.import_batch_kwargs, get=LEADERS, post=LEADERS, data=o.mapping_form
    ),
    "campaigns:member_export_xlsx": Route(get=ORGANIZERS),  # what each may see, as the list
    "campaigns:import_preview": Route(o.import_batch_kwargs, get=LEADERS, post=LEADERS),
    "campaigns:import_sheet": Route(
        o.import_batch_kwargs, get=LEADERS, post=LEADERS, data=lambda c, _: {"sheet": "0"}
    ),
    "campaigns:import_changes": Route(o.import_batch_kwargs, get=LEADERS),
    "campaigns:import_skipped": Route(o.import_batch_kwargs, get=LEADERS),
    "campaigns:import_run": Route(o.import_batch_kwargs, post=LEADERS),
    "campaigns:import_history": Route(get=ANY_LEADER),  # each leader's own locals
    "campaigns:import_detail": Route(o.imported_batch_kwargs, get=LEADERS),
    "campaigns:import_undo": Route(o.imported_batch_kwargs, get=LEADERS, post=LEADERS),
    # Partners
    "partners:list": Route(get=SIGNED_IN),  # partner people are sent to their portal
    "partners:portal": Route(get=PARTNERS),
    "partners:create": Route(get=ANY_LEADER, post=ANY_LEADER, data=o.organisation_form),
    "partners:detail": Route(o.organisation_x_kwargs, get=ORGANISATION_X),
    "partners:edit": Route(
        o.organisation_x_kwargs,
        get=ORGANISATION_X_LEADERS,
        post=ORGANISATION_X_LEADERS,
        data=o.organisation_x_form,
    ),
    "partners:mapping": Route(  # community mapping names members: leaders only
        o.organisation_x_kwargs,
        get=ORGANISATION_X_LEADERS,
        post=ORGANISATION_X_LEADERS,
        data=o.member_mapping_form,
    ),
    "partners:contact_create": Route(
        o.organisation_x_kwargs, post=ORGANISATION_X_LEADERS, data=o.contact_form
    ),
    "partners:contact_edit": Route(
        o.contact_x_kwargs,
        get=ORGANISATION_X_LEADERS,
        post=ORGANISATION_X_LEADERS,
        data=o.contact_form,
    ),
    "partners:contact_delete": Route(o.contact_x_kwargs, post=ORGANISATION_X_LEADERS),
    "partners:session_create": Route(
        o.organisation_x_kwargs,
        get=ORGANISATION_X,
        post=ORGANISATION_X,
        data=o.listening_session_form,
    ),
    "partners:session": Route(o.listening_session_x_kwargs, get=ORGANISATION_X),
    "partners:session_edit": Route(
        o.listening_session_x_kwargs,
        get=ORGANISATION_X,
        post=ORGANISATION_X,
        data=o.listening_session_form,
    ),
    "partners:finding_create": Route(
        o.listening_session_x_kwargs, post=ORGANISATION_X, data=o.finding_form
    ),
    "demands:from_finding": Route(o.finding_x_kwargs, post=ORGANISATION_X, data=o.make_demand_form),
    "partners:support_create": Route(
        o.organisation_x_kwargs, get=ORGANISATION_X, post=ORGANISATION_X, data=o.support_form
    ),
    "partners:support_document": Route(o.support_document_x_kwargs, get=ORGANISATION_X),
    # Demands and the power map
    "demands:list": Route(get=SIGNED_IN),  # a list of what each may see
    "demands:create": Route(get=ANY_LEADER, post=ANY_LEADER, data=o.new_demand_form),
    "demands:detail": Route(o.demand_x_kwargs, get=SHARED_X),
    "demands:history": Route(o.demand_x_kwargs, get=SHARED_X),
    "demands:edit": Route(
        o.demand_x_kwargs, get=SHARED_X_AUTHORS, post=SHARED_X_AUTHORS, data=o.demand_form
    ),
    "demands:translations": Route(
        o.demand_x_kwargs, get=SHARED_X_AUTHORS, post=SHARED_X_AUTHORS, data=o.translations_form
    ),
    "demands:comment": Route(  # stewards read along without commenting
        o.demand_x_kwargs, post=SHARED_X_AUTHORS, data=lambda c, _: {"body": "Agreed."}
    ),
    "demands:endorse": Route(o.demand_x_kwargs, post=SHARED_X_AUTHORS, data=o.endorsement_form),
    "demands:unendorse": Route(
        o.endorsed_demand_x_kwargs, post=SHARED_X_AUTHORS, data=o.endorsement_form
    ),
    "demands:transition": Route(
        o.demand_x_kwargs,
        post=SHARED_X_LEADERS,
        data=lambda c, _: {"to": "review", "why": "Ready."},
    ),
    "demands:publish": Route(
        o.demand_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, publishes=True
    ),
    "demands:unpublish": Route(o.published_demand_x_kwargs, post=SHARED_X_LEADERS, publishes=True),
    # The coalition decides: a request is seen by the union and the organisations asked (Y was
    # not asked: 404), answered only by those organisations' people.
    "demands:decision_ask": Route(
        o.demand_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.decision_ask_form
    ),
    "demands:decision": Route(
        o.decision_x_kwargs, get=SHARED_X, post=PARTNER_X, data=o.decision_answer_form
    ),
    "demands:decision_close": Route(o.decision_x_kwargs, post=SHARED_X_LEADERS),
    "demands:decision_cancel": Route(o.decision_x_kwargs, post=SHARED_X_LEADERS),
    "demands:adoption_rule": Route(o.slug, get=LEADERS, post=LEADERS, data=o.adoption_rule_form),
    "demands:amendment_propose": Route(
        o.demand_x_kwargs, get=PARTNER_X, post=PARTNER_X, data=o.amendment_form
    ),
    "demands:amendment": Route(o.amendment_x_kwargs, get=SHARED_X),
    "demands:amendment_accept": Route(o.amendment_x_kwargs, post=SHARED_X_AUTHORS),
    "demands:amendment_decline": Route(
        o.amendment_x_kwargs, post=SHARED_X_AUTHORS, data=o.decline_form
    ),
    "demands:amendment_withdraw": Route(o.amendment_x_kwargs, post=PARTNER_X),
    "demands:amendment_rebase": Route(o.outdated_amendment_x_kwargs, post=PARTNER_X),
    "demands:merge": Route(
        o.demand_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.merge_form
    ),
    "demands:targets": Route(get=ORGANIZERS),  # the union's research: not for partners
    "demands:target_create": Route(get=ANY_LEADER, post=ANY_LEADER, data=o.target_form),
    "demands:target": Route(o.target_kwargs, get=UNION),
    "demands:target_edit": Route(
        o.target_kwargs, get=UNION_LEADERS, post=UNION_LEADERS, data=o.target_form
    ),
    "demands:target_mapping": Route(
        o.target_kwargs, get=UNION_LEADERS, post=UNION_LEADERS, data=o.member_mapping_form
    ),
    # Actions and the escalation ladder
    "actions:list": Route(get=SIGNED_IN),  # a list of what each may see
    "actions:create": Route(o.slug, get=LEADERS, post=LEADERS, data=o.action_form),
    "actions:detail": Route(o.action_x_kwargs, get=SHARED_X),
    "actions:edit": Route(
        o.action_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.action_form
    ),
    "actions:translations": Route(
        o.action_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.translations_form
    ),
    "actions:cancel": Route(
        o.action_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.cancel_form
    ),
    "actions:evaluate": Route(
        o.past_action_x_kwargs, get=SHARED_X_LEADERS, post=SHARED_X_LEADERS, data=o.evaluation_form
    ),
    "actions:participation": Route(o.action_x_kwargs, get=SHARED_X_UNION),
    "actions:participation_mark": Route(
        o.participation_mark_kwargs,
        post=MARK_A,
        data=lambda c, _: {"field": "coming", "value": "1"},
    ),
    "actions:partner_rsvp": Route(
        o.action_x_kwargs, get=PARTNER_X, post=PARTNER_X, data=o.partner_rsvp_form
    ),
    "actions:partner_rsvp_remove": Route(o.partner_rsvp_x_kwargs, post=PARTNER_X),
    "actions:rsvp": Route(o.public_action_kwargs, get=PUBLIC, post=PUBLIC, data=o.public_rsvp_form),
    # The signed link from an RSVP's confirmation: whoever holds it may use it.
    "actions:rsvp_cancel": Route(o.rsvp_cancel_kwargs, get=PUBLIC, post=PUBLIC),
    "actions:ladder": Route(o.slug, get=LEADERS),
    "actions:tactics": Route(o.slug, get=LEADERS, post=LEADERS, data=o.tactic_form),
    "actions:tactic_edit": Route(o.tactic_kwargs, get=LEADERS, post=LEADERS, data=o.tactic_form),
    "actions:tactic_move": Route(
        o.tactic_kwargs, post=LEADERS, data=lambda c, _: {"direction": "up"}
    ),
    "actions:tactic_delete": Route(o.tactic_kwargs, post=LEADERS),
    "actions:reminders": Route(o.slug, get=LEADERS, post=LEADERS, data=o.reminder_settings_form),
    "actions:digest": Route(o.slug, get=LEADERS, post=LEADERS, data=o.digest_send_form),
    "actions:reminder_retry": Route(o.failed_reminder_kwargs, post=ONLY_LEADERS),
    # The unsubscribe link and the calendar address carry a secret: they are for whoever holds
    # it. Mail providers post one-click unsubscribes (RFC 8058) without a CSRF token.
    "actions:unsubscribe": Route(o.unsubscribe_kwargs, get=PUBLIC, post=PUBLIC, csrf_exempt=True),
    "actions:calendar": Route(get=SIGNED_IN, post=SIGNED_IN),  # each person's own address
    "actions:feed": Route(o.calendar_feed_kwargs, get=PUBLIC),
    # Broadcasts name their recipients: the local's leaders only.
    "broadcasts:list": Route(o.slug, get=LEADERS),
    "broadcasts:create": Route(o.slug, get=LEADERS, post=LEADERS, data=o.broadcast_form),
    "broadcasts:settings": Route(
        o.slug, get=LEADERS, post=LEADERS, data=lambda c, _: {"text_template": "Hi {first_name}"}
    ),
    "broadcasts:detail": Route(o.broadcast_kwargs, get=ONLY_LEADERS),
    "broadcasts:edit": Route(
        o.broadcast_kwargs, get=ONLY_LEADERS, post=ONLY_LEADERS, data=o.broadcast_form
    ),
    "broadcasts:test": Route(o.broadcast_kwargs, post=ONLY_LEADERS),
    "broadcasts:schedule": Route(o.broadcast_kwargs, post=ONLY_LEADERS),
    "broadcasts:cancel": Route(o.scheduled_broadcast_kwargs, post=ONLY_LEADERS),
    "broadcasts:retry": Route(o.broadcast_kwargs, post=ONLY_LEADERS),
    # A partner's broadcasts to the supporters its organisation brought: its people write
    # them; the local's leaders find them (and read them on their own pages) but may not.
    "broadcasts:partner_list": Route(o.organisation_x_kwargs, get=PARTNER_X_WRITES),
    "broadcasts:partner_create": Route(
        o.organisation_x_kwargs,
        get=PARTNER_X_WRITES,
        post=PARTNER_X_WRITES,
        data=o.partner_broadcast_form,
    ),
    "broadcasts:partner_detail": Route(o.partner_broadcast_kwargs, get=PARTNER_X_WRITES),
    "broadcasts:partner_edit": Route(
        o.partner_broadcast_kwargs,
        get=PARTNER_X_WRITES,
        post=PARTNER_X_WRITES,
        data=o.partner_broadcast_form,
    ),
    "broadcasts:partner_test": Route(o.partner_broadcast_kwargs, post=PARTNER_X_WRITES),
    "broadcasts:partner_schedule": Route(o.partner_broadcast_kwargs, post=PARTNER_X_WRITES),
    "broadcasts:partner_cancel": Route(o.scheduled_partner_broadcast_kwargs, post=PARTNER_X_WRITES),
    "broadcasts:partner_retry": Route(o.partner_broadcast_kwargs, post=PARTNER_X_WRITES),
    # The signed link in each broadcast, posted by mail providers too (RFC 8058).
    "broadcasts:unsubscribe": Route(
        o.broadcast_unsubscribe_kwargs, get=PUBLIC, post=PUBLIC, csrf_exempt=True
    ),
    # The mail provider's bounces: signed with a secret no person holds, so every person is
    # refused; tests/broadcasts prove the signed post. No CSRF token: a machine posts it.
    "broadcasts:webhook": Route(post=dict.fromkeys(ROLES, FORBIDDEN), csrf_exempt=True),
    "click": Route(o.click_kwargs, get=PUBLIC),  # a counted link from a broadcast
    # Surveys: leaders build them and read results; stewards see the bargaining survey (its
    # links, recording answers for their buildings' members); partners the listening survey.
    "surveys:list": Route(o.slug, get=LOCAL),
    "surveys:create": Route(o.slug, get=LEADERS, post=LEADERS, data=sv.survey_form),
    "surveys:detail": Route(sv.survey_kwargs, get=UNION),
    "surveys:edit": Route(
        sv.survey_kwargs, get=UNION_LEADERS, post=UNION_LEADERS, data=sv.survey_form
    ),
    "surveys:question_add": Route(sv.survey_kwargs, post=UNION_LEADERS, data=sv.question_form),
    "surveys:question_delete": Route(sv.question_kwargs, post=UNION_LEADERS),
    "surveys:open": Route(sv.survey_kwargs, post=UNION_LEADERS),
    "surveys:close": Route(sv.survey_kwargs, post=UNION_LEADERS),
    "surveys:results": Route(sv.survey_kwargs, get=UNION_LEADERS),
    "surveys:answer_finding": Route(sv.answer_kwargs, post=LISTENING_LEADERS, data=sv.finding_form),
    "surveys:links": Route(sv.survey_kwargs, get=UNION),
    "surveys:member": Route(o.member_a_kwargs, get=BUILDING_A),
    "surveys:record": Route(sv.record_kwargs, get=BUILDING_A, post=BUILDING_A, data=sv.record_form),
    # A member's signed personal link and the public listening survey: no sign-in.
    "surveys:personal": Route(sv.personal_kwargs, get=PUBLIC, post=PUBLIC, data=sv.personal_form),
    "open_surveys:answer": Route(
        sv.public_survey_kwargs, get=PUBLIC, post=PUBLIC, data=sv.public_survey_form
    ),
    # Bargaining: the local's leaders only (stewards and partners 403, other locals 404)
    "bargaining:index": Route(get=ANY_LEADER),  # each leader's own campaigns
    "bargaining:campaign": Route(o.slug, get=LEADERS),
    "bargaining:session_new": Route(o.slug, get=LEADERS, post=LEADERS, data=o.session_form),
    "bargaining:session": Route(o.session_kwargs, get=LEADERS),
    "bargaining:session_edit": Route(
        o.session_kwargs, get=LEADERS, post=LEADERS, data=o.session_form
    ),
    "bargaining:session_report": Route(o.session_kwargs, get=LEADERS),
    "bargaining:articles": Route(o.slug, get=LEADERS, post=LEADERS, data=o.article_form),
    "bargaining:proposal_new": Route(o.slug, get=LEADERS, post=LEADERS, data=o.new_proposal_form),
    "bargaining:proposal": Route(o.proposal_kwargs, get=LEADERS),
    "bargaining:proposal_edit": Route(
        o.proposal_kwargs, get=LEADERS, post=LEADERS, data=o.proposal_form
    ),
    "bargaining:version_new": Route(
        o.proposal_kwargs, get=LEADERS, post=LEADERS, data=o.version_form
    ),
    "bargaining:compare": Route(o.proposal_kwargs, get=LEADERS),
    "bargaining:version_edit": Route(
        o.version_kwargs, get=LEADERS, post=LEADERS, data=o.version_form
    ),
    "bargaining:agreement_new": Route(o.slug, get=LEADERS, post=LEADERS, data=o.agreement_form),
    "bargaining:agreement_edit": Route(
        o.agreement_kwargs, get=LEADERS, post=LEADERS, data=o.agreement_form
    ),
    "bargaining:event_new": Route(o.slug, get=LEADERS, post=LEADERS, data=o.event_form),
    "bargaining:event_edit": Route(o.event_kwargs, get=LEADERS, post=LEADERS, data=o.event_form),
    "bargaining:preview": Route(o.session_item_kwargs, get=LEADERS),
    "bargaining:publish": Route(o.session_item_kwargs, post=LEADERS, publishes=True),
    "bargaining:translations": Route(
        o.event_item_kwargs, get=LEADERS, post=LEADERS, data=o.record_translations_form
    ),
    "bargaining:public_page": Route(o.slug, get=LEADERS, post=LEADERS, data=o.public_page_form),
    "bargaining:public_preview": Route(o.slug, get=LEADERS),
    # The OSDI API, by token. Its pages: each person's own tokens, a local's leaders' webhooks.
    "api:tokens": Route(get=SIGNED_IN),
    "api:new_token": Route(post=SIGNED_IN, data=a.token_form),
    "api:revoke_token": Route(a.leader_token_kwargs, post=ONLY_LEADERS),
    "api:webhooks": Route(
        lambda c: {"slug": c.local.slug}, get=LEADERS, post=LEADERS, data=a.webhook_form
    ),
    "api:webhook": Route(a.webhook_kwargs, get=LEADERS),
    "api:remove_webhook": Route(a.webhook_kwargs, post=LEADERS),
    # The schema and its documentation describe the API, never its data.
    "api:schema": Route(get=PUBLIC),
    "api:docs": Route(get=PUBLIC),
    # Tokens carry no CSRF token: the API's writes are posted by other tools' servers.
    "api:aep": Route(get=SIGNED_IN, api=True),
    "api:people": Route(get=SIGNED_IN, api=True),
    "api:person": Route(a.member_a_kwargs, get=BUILDING_A, api=True),
    # A supporter organisation X brought: the local's leaders and X's people read them.
    "api:supporter": Route(a.supporter_x_kwargs, get=ORGANISATION_X, api=True),
    # Another local's leader adds the person to their own local: not ours, so that is theirs.
    # A partner's signup is of supporters: of a member's email, accepted (202) and nothing
    # of the member's changes.
    "api:person_signup_helper": Route(
        post={
            **SHARED_X,
            "steward_b": FORBIDDEN,
            "partner_y": OK,
            "other_leader": OK,
        },  # fmt: skip
        data=a.signup_body,
        api=True,
        csrf_exempt=True,
    ),
    "api:events": Route(get=SIGNED_IN, api=True),
    # The five support-level tags are names, not data; their taggings are members, scoped.
    "api:tags": Route(get=SIGNED_IN, api=True),
    "api:tag": Route(a.tag_kwargs, get=SIGNED_IN, api=True),
    "api:taggings": Route(a.tag_kwargs, get=SIGNED_IN, api=True),
    "api:event": Route(a.action_x_kwargs, get=SHARED_X, api=True),
    "api:attendances": Route(
        a.attendance_kwargs,
        get=SHARED_X,
        post={**MARK_A, "steward_b": NOT_FOUND},
        data=a.attendance_body,
        api=True,
        csrf_exempt=True,
    ),
    "api:attendance": Route(a.participation_a_kwargs, get=BUILDING_A, api=True),
    # Petitions: the local's; signatures as the petition page lists its signers; anyone in
    # the local who types in paper sheets records a signature.
    "api:petitions": Route(get=SIGNED_IN, api=True),
    "api:petition": Route(a.petition_kwargs, get=LOCAL, api=True),
    "api:signatures": Route(
        a.petition_kwargs,
        get=LOCAL,
        post=LOCAL,
        data=a.signature_body,
        api=True,
        csrf_exempt=True,
    ),
    "api:signature": Route(a.signature_a_kwargs, get=BUILDING_A, api=True),
    # Surveys as forms, read-only: a steward reads their buildings' members' submissions.
    "api:forms": Route(get=SIGNED_IN, api=True),
    "api:form": Route(a.form_kwargs, get=UNION, api=True),
    "api:submissions": Route(a.form_kwargs, get=UNION, api=True),
    "bargaining:public_articles_preview": Route(o.slug, get=LEADERS),
    "bargaining:article_tracker": Route(o.article_kwargs, post=LEADERS),
    "bargaining:version_withdraw": Route(o.version_kwargs, post=LEADERS),
    "bargaining:commitments": Route(o.slug, get=LEADERS),
    "bargaining:commitment_new": Route(o.slug, get=LEADERS, post=LEADERS, data=o.commitment_form),
    "bargaining:commitment_edit": Route(
        o.commitment_kwargs, get=LEADERS, post=LEADERS, data=o.commitment_form
    ),
    "bargaining:commitment_evidence": Route(o.commitment_evidence_kwargs, get=LEADERS),
    # The open-bargaining pages: anyone, signed in or not, reads what leaders published
    "open:index": Route(get=PUBLIC),
    "open:campaign": Route(o.open_campaign_kwargs, get=PUBLIC),
    "open:demands": Route(o.open_campaign_kwargs, get=PUBLIC),
    "open:articles": Route(o.open_articles_kwargs, get=PUBLIC),
    "open:evidence": Route(o.open_evidence_kwargs, get=PUBLIC),
    "open:report": Route(o.open_report_kwargs, get=PUBLIC),
    "open:feed": Route(o.open_campaign_kwargs, get=PUBLIC),
    "open:calendar": Route(o.open_campaign_kwargs, get=PUBLIC),
    # Petitions: the local's people see a published one and type in its paper sheets; its
    # leaders write, publish, download and deliver it; anyone signs it on the public page.
    "reach:petitions": Route(get=SIGNED_IN),  # each person's own petitions
    "reach:petition_new": Route(o.slug, get=LEADERS, post=LEADERS, data=ro.petition_form),
    "reach:petition": Route(ro.petition_kwargs, get=LOCAL),
    "reach:petition_edit": Route(
        ro.petition_kwargs, get=LEADERS, post=LEADERS, data=ro.petition_form
    ),
    "reach:petition_publish": Route(ro.petition_kwargs, post=LEADERS, publishes=True),
    "reach:paper": Route(ro.petition_kwargs, get=LOCAL, post=LOCAL, data=ro.paper_form),
    "reach:packet_pdf": Route(ro.petition_kwargs, get=LEADERS),
    "reach:packet_csv": Route(ro.petition_kwargs, get=LEADERS),
    # Recording the delivery puts a public action on the ladder.
    "reach:delivery": Route(
        ro.petition_kwargs, get=LEADERS, post=LEADERS, data=ro.delivery_form, publishes=True
    ),
    "petition_public:page": Route(
        ro.public_petition_kwargs, get=PUBLIC, post=PUBLIC, data=ro.sign_form
    ),
    # The signed link from the confirmation email: whoever holds it may use it.
    "petition_public:confirm": Route(ro.confirm_kwargs, get=PUBLIC, post=PUBLIC),
}


@pytest.fixture
def cast(module_cast, db):
    """The cast is built once for the module and every test is rolled back to it: the
    matrix only reads it, and each request it makes is rolled back anyway."""
    return shared_cast(module_cast)


@pytest.fixture(autouse=True)
def _matrix_settings(settings, tmp_path):
    # Rosters, reports and partners' documents go to a throwaway folder, never var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    # Refusals are asserted as production shows them.
    settings.DEBUG = False
    # Each role's client loads the middleware afresh; WhiteNoise would scan every static file
    # each time unless it looks files up on request.
    settings.WHITENOISE_AUTOREFRESH = True


def named_routes() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in EXEMPT_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.name.startswith(EXEMPT_PREFIXES):
                    continue
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


def test_every_route_has_a_rule():
    missing = [name for name in named_routes() if name not in ROUTES]
    assert not missing, f"Add these routes to the access matrix: {missing}"


def test_no_rule_for_a_route_that_is_gone():
    assert not set(ROUTES) - set(named_routes())


@functools.cache
def _our_tables() -> list[tuple[str, str]]:
    ours = {
        "accounts",
        "campaigns",
        "partners",
        "demands",
        "actions",
        "bargaining",
        "broadcasts",
        "surveys",
        "audit",
        "reach",
        "api",
    }
    # Every API call, refused or not, is logged and marks its token used: by design.
    changed_by_every_call = {"api.ApiCall", "api.Token"}
    quote = connection.ops.quote_name
    return [
        (model._meta.db_table, f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY 1")
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ours and model._meta.label not in changed_by_every_call
    ]


# The transaction's own counts of the rows it inserted, updated and deleted in each table,
# in one round trip. They only grow: a write undone by a rolled-back savepoint still counts.
WRITES_SQL = """
    SELECT t::text, pg_stat_get_xact_tuples_inserted(t), pg_stat_get_xact_tuples_updated(t),
           pg_stat_get_xact_tuples_deleted(t)
    FROM unnest(%s::regclass[]) AS t
"""


def snapshot() -> dict:
    """What a refused request must not change in the project's own tables. On PostgreSQL,
    the counts of the rows this transaction wrote to each: any write moves them, even an
    UPDATE that leaves a row as it was, and reading them costs far less than reading every
    row. Elsewhere, every row. Plain SQL, because the matrix takes thousands of these."""
    tables = _our_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The counts belong to the transaction: outside one they would start again at
            # each statement.
            assert connection.in_atomic_block, "a snapshot is only compared inside a transaction"
            cursor.execute(WRITES_SQL, [[table for table, _sql in tables]])
            return {table: counts for table, *counts in cursor.fetchall()}
        state = {}
        for table, table_sql in tables:
            cursor.execute(table_sql)
            state[table] = cursor.fetchall()
        return state


@functools.cache
def _publication_fields() -> list[tuple[str, type, dict]]:
    """Each field that says a row is public, with the lookup that finds the public rows."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label == "accounts":
            continue
        for field in model._meta.fields:
            if field.name in ("published_at", "is_published", "is_public"):
                lookup = (
                    {field.name: True}
                    if field.get_internal_type() == "BooleanField"
                    else {f"{field.name}__isnull": False}
                )
                found.append((f"{model._meta.label}.{field.name}", model, lookup))
    return found


def roles_and_publication() -> tuple:
    """Memberships and what is public. A create view may add a draft, so only the rows that
    are public count: a smuggled ``published`` must not add one."""
    published = {}
    for label, model, lookup in _publication_fields():
        published[label] = set(model.objects.filter(**lookup).values_list("pk", flat=True))
    memberships = list(Membership.objects.order_by("pk").values("user", "role", "local"))
    through = list(Membership.buildings.through.objects.order_by("pk").values())
    return memberships, through, published


def check(cast, name: str, method: str, who: str, expected: str) -> None:
    route = ROUTES[name]
    with transaction.atomic():
        kwargs = route.kwargs(cast)
        url = reverse(name, kwargs=kwargs)
        data = route.data(cast, kwargs)
        client = client_for(cast, route, who)
        before = snapshot() if expected != OK else None
        # What a smuggled field could change, compared only after an allowed POST.
        smuggled = roles_and_publication() if method == "post" and expected == OK else None
        if method == "get":
            response = client.get(url)
        else:
            extra = {"building": cast.building_b.pk, "published": "on", "role": "leader"}
            if route.api:
                response = client.post(url, json.dumps({**extra, **data}), "application/json")
            else:
                response = client.post(url, {**extra, **data})
        where = f"{method.upper()} {url} as {who}"
        status = response.status_code
        if route.api and expected != OK:
            assert status == (401 if expected == LOGIN else expected), f"{where}: {status}"
            assert snapshot() == before, f"{where} changed the database"
            assert "osdi:status" in response.json(), f"{where}: not the osdi:status shape"
        elif expected == OK:
            # 202: the API accepted a write about someone the token does not see.
            accepted = (200, 201, 202) if route.api else (200, 201)
            assert status in accepted or (
                status in (301, 302) and "/accounts/login/" not in response["Location"]
            ), f"{where}: {status}"
            if method == "post":
                roles, links, published = roles_and_publication()
                if not route.changes_roles:
                    assert (roles, links) == smuggled[:2], f"{where}: a smuggled role took"
                if not route.publishes:
                    assert published == smuggled[2], f"{where}: a smuggled publication took"
        elif expected == LOGIN:
            assert status == 302 and "/accounts/login/" in response["Location"], (
                f"{where}: {status}"
            )
            assert snapshot() == before, f"{where} changed the database"
        else:
            assert status == expected, f"{where}: {status}, not {expected}"
            assert snapshot() == before, f"{where} changed the database"
            if route.answers_json:
                assert response.json()["wipe"] is True, f"{where}: the phone is not told to forget"
            else:
                assert_friendly_refusal(response, where)
        transaction.set_rollback(True)


def client_for(cast, route: Route, who: str) -> Client:
    """The person's browser session, or for an API route a client sending their token."""
    if route.api:
        from .api.helpers import api_for

        return api_for(cast, who).client
    return cast.client_for(who)


def assert_friendly_refusal(response, where: str) -> None:
    """A refusal is the site's own error page, in its layout, and names nothing internal."""
    page = response.content.decode()
    assert 'id="error-page"' in page, f"{where}: not the friendly error page"
    assert 'class="site-header"' in page, f"{where}: the error page lost the layout"
    path = response.request["PATH_INFO"]
    # The menu links to some pages (the account page) from every page; a link is not the
    # page repeating the address it was asked for.
    text = page.replace(f'href="{path}"', "")
    assert path not in text, f"{where}: the page repeats the address"


def matrix(method: str) -> list[str]:
    # OWN routes (the invitee's own link) are proven in tests/accounts/test_invitations.py.
    return sorted(n for n, r in ROUTES.items() if getattr(r, method) != OWN)


@pytest.mark.parametrize("name", matrix("get"))
def test_get_as_each_role(cast, name):
    rules = ROUTES[name].get
    for who in ROLES:
        if rules is None:
            with transaction.atomic():
                url = reverse(name, kwargs=ROUTES[name].kwargs(cast))
                status = client_for(cast, ROUTES[name], who).get(url).status_code
                assert status in (302, 401, 403, 404, 405), f"GET {url} as {who}: {status}"
                transaction.set_rollback(True)
        else:
            check(cast, name, "get", who, rules[who])


@pytest.mark.parametrize("name", matrix("post"))
def test_post_as_each_role(cast, name):
    rules = ROUTES[name].post
    for who in ROLES:
        if rules is None:
            with transaction.atomic():
                kwargs = ROUTES[name].kwargs(cast)
                url = reverse(name, kwargs=kwargs)
                data = ROUTES[name].data(cast, kwargs)
                client = client_for(cast, ROUTES[name], who)
                before = snapshot()
                status = client.post(url, data).status_code
                assert status in (302, 401, 403, 404, 405), f"POST {url} as {who}: {status}"
                assert snapshot() == before
                transaction.set_rollback(True)
        else:
            check(cast, name, "post", who, rules[who])


@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if r.post not in (None, OWN) and not r.csrf_exempt)
)
def test_post_without_csrf_token_is_refused(cast, name):
    route = ROUTES[name]
    kwargs = route.kwargs(cast)
    url = reverse(name, kwargs=kwargs)
    data = route.data(cast, kwargs)
    client = cast.client_for("leader", enforce_csrf_checks=True)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403
    assert snapshot() == before
    assert_friendly_refusal(response, f"POST {url} without a CSRF token")


def test_matrix_covers_a_member_of_building_b(cast):
    """The same rules hold from the other side: B's steward reaches B's building, not A's."""
    f.make_member(cast.building_b)
    client = cast.client_for("steward_b")
    assert client.get(reverse("campaigns:building", args=[cast.building_b.pk])).status_code == 200
    assert client.get(reverse("campaigns:building", args=[cast.building_a.pk])).status_code == 404


@pytest.mark.urls("tests.matrix_writing_views")
@pytest.mark.parametrize("path", ["/renames/", "/rewrites/", "/savepoint/", "/adds-and-removes/"])
def test_a_refused_request_that_wrote_anything_is_caught(cast, path):
    """The check itself. On PostgreSQL a write that leaves every row as it was (an UPDATE to
    the same value, an insert undone by a savepoint or by a delete) shows as a change too;
    elsewhere the rows are compared, which sees only a changed row."""
    if path != "/renames/" and connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL counts the writes of a transaction (CI runs it)")
    client = cast.client_for("leader")
    before = snapshot()
    assert client.get(path).status_code == 403
    assert snapshot() != before


@pytest.mark.urls("tests.matrix_writing_views")
def test_a_refused_request_that_only_read_is_not_taken_for_a_write(cast):
    client = cast.client_for("leader")
    before = snapshot()
    assert client.get("/reads/").status_code == 403
    assert snapshot() == before
