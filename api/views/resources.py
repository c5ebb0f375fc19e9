"""The OSDI collections and resources, read as the token's person sees them in the app."""

from __future__ import annotations

import re
import uuid
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Value
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import roles_for
from actions.models import Action, Participation, Rsvp
from bargaining.models import Session
from campaigns.models import Member
from reach.models import Supporter

from ..hal import CURIES, MAX_PAGESIZE, Chain, OsdiPagination, link, not_found
from ..models import Identifier
from ..serializers import (
    EventSerializer,
    ParticipationSerializer,
    PersonSerializer,
    RsvpSerializer,
    SessionEventSerializer,
    SupporterSerializer,
    absolute,
    session_uuid,
)
from ..tokens import RecordedCalls

FILTER = re.compile(r"^\s*modified_date\s+(gt|ge|lt|le|eq)\s+'([^']+)'\s*$")
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}
FILTER_PARAMETER = OpenApiParameter(
    "$filter", str, description="modified_date gt '2027-01-01T00:00:00Z' (gt, ge, lt, le, eq)"
)
PAGING = [
    OpenApiParameter("page", int),
    OpenApiParameter("per_page", int, description=f"at most {MAX_PAGESIZE}"),
]


def modified_filter(request, column: str = "updated_at") -> Q:
    """``$filter=modified_date gt '...'``, clauses joined with ``and``."""
    text = request.query_params.get("$filter", "").strip()
    condition = Q()
    if not text:
        return condition
    for clause in re.split(r"\s+and\s+", text):
        match = FILTER.match(clause)
        moment = parse_datetime(match.group(2)) if match else None
        if moment is None:
            raise exceptions.ParseError(
                _("Filter by modified_date, e.g. modified_date gt '2027-01-01T00:00:00Z'.")
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # OSDI dates without a zone are UTC
        condition &= Q(**{f"{column}__{LOOKUPS[match.group(1)]}": moment})
    return condition


def foreign_identifiers(model, pks) -> dict[int, list[str]]:
    """The identifiers clients gave these records, in one query."""
    content_type = ContentType.objects.get_for_model(model)
    found: dict[int, list[str]] = {}
    rows = Identifier.objects.filter(content_type=content_type, object_id__in=list(pks))
    for row in rows.order_by("pk"):
        found.setdefault(row.object_id, []).append(f"{row.prefix}:{row.value}")
    return found


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class Aep(RecordedCalls, APIView):
    """The API entry point: the collections this token can follow."""

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request):
        links = {
            "self": link(absolute(request, "api:aep")),
            "curies": CURIES,
            "osdi:people": link(absolute(request, "api:people")),
            "osdi:events": link(absolute(request, "api:events")),
            "osdi:tags": link(absolute(request, "api:tags")),
            "osdi:petitions": link(absolute(request, "api:petitions")),
            "osdi:forms": link(absolute(request, "api:forms")),
            "osdi:person_signup_helper": link(absolute(request, "api:person_signup_helper")),
            "docs": link(absolute(request, "api:docs")),
        }
        return Response(
            {
                "motd": _("Welcome to Common Good's OSDI API."),
                "vendor_name": "Common Good",
                "product_name": "Common Good",
                "osdi_version": "1.1.1",
                "max_pagesize": MAX_PAGESIZE,
                "namespace": "common_good",
                "_links": links,
            }
        )


class Collection(RecordedCalls, GenericAPIView):
    """A paged OSDI collection with the ``modified_date`` filter."""

    def page_response(self, queryset, model):
        page = self.paginate_queryset(queryset)
        context = {
            **self.get_serializer_context(),
            "identifiers": foreign_identifiers(model, (obj.pk for obj in page)),
        }
        data = self.get_serializer_class()(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def one(self, obj, model):
        context = {
            **self.get_serializer_context(),
            "identifiers": foreign_identifiers(model, [obj.pk]),
        }
        return Response(self.get_serializer_class()(obj, context=context).data)


def people_of(user):
    return Member.objects.visible_to(user).select_related("building", "local")


def supporters_of(user):
    """The supporters the person sees in the app who are not members (a member is one of the
    people already): a leader's locals', a partner's organisation's; a steward none. Their
    addresses' status is the consent the person may write to them under."""
    roles = roles_for(user)
    return (
        Supporter.objects.visible_to(user)
        .known()
        .filter(member__isnull=True)
        .with_subscription(local_ids=roles.led_local_ids, organisation_ids=roles.organisation_ids)
    )


class People(Collection):
    """Members within the token's scope (a leader's locals', a steward's buildings'), then
    the supporters it sees (a leader's locals', a partner's organisation's)."""

    serializer_class = PersonSerializer
    pagination_class = OsdiPagination.of("people")

    @extend_schema(operation_id="people_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request):
        since = modified_filter(request)
        members = people_of(request.user).filter(since).order_by("pk")
        supporters = supporters_of(request.user).filter(since).order_by("pk")
        page = self.paginate_queryset(Chain(("m", members), ("s", supporters)))
        base = self.get_serializer_context()
        kinds = {
            Member: PersonSerializer,
            Supporter: SupporterSerializer,
        }
        contexts = {
            model: {
                **base,
                "identifiers": foreign_identifiers(
                    model, [row.pk for row in page if isinstance(row, model)]
                ),
            }
            for model in kinds
        }
        data = [kinds[type(row)](row, context=contexts[type(row)]).data for row in page]
        return self.get_paginated_response(data)


class Person(Collection):
    serializer_class = PersonSerializer

    def get(self, request, uuid):
        person = people_of(request.user).filter(uuid=uuid).first()
        return not_found() if person is None else self.one(person, Member)


class SupporterPerson(Collection):
    """A supporter as one of the people, for those who see them."""

    serializer_class = SupporterSerializer

    def get(self, request, uuid):
        supporter = supporters_of(request.user).filter(uuid=uuid).first()
        return not_found() if supporter is None else self.one(supporter, Supporter)


def events_of(user):
    return Action.objects.visible_to(user).select_related("campaign__local")


def sessions_of(user):
    """The published bargaining sessions of the locals the person is part of: what the
    open-bargaining page shows of them, read-only."""
    roles = roles_for(user)
    local_ids = roles.led_local_ids | roles.stewarded_local_ids | roles.partner_local_ids
    return Session.objects.filter(
        campaign__local_id__in=local_ids, published_at__isnull=False
    ).select_related("campaign__local")


class Events(Collection):
    """Actions on the ladder that the token's person sees, then the published bargaining
    sessions (``type`` tells them apart)."""

    serializer_class = EventSerializer
    pagination_class = OsdiPagination.of("events")

    @extend_schema(operation_id="events_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request):
        since = modified_filter(request)
        actions = events_of(request.user).filter(since)
        sessions = sessions_of(request.user).filter(since)
        # Plain rows of each table (the scoped querysets carry annotations of their own).
        action_rows = Action.objects.filter(pk__in=actions.values("pk"))
        session_rows = Session.objects.filter(pk__in=sessions.values("pk"))
        rows = (
            action_rows.annotate(kind=Value("a"))
            .values_list("kind", "pk")
            .union(session_rows.annotate(kind=Value("s")).values_list("kind", "pk"), all=True)
            .order_by("kind", "pk")
        )
        page = self.paginate_queryset(rows)
        found = {
            "a": actions.in_bulk([pk for kind, pk in page if kind == "a"]),
            "s": sessions.in_bulk([pk for kind, pk in page if kind == "s"]),
        }
        base = self.get_serializer_context()
        contexts = {
            "a": {**base, "identifiers": foreign_identifiers(Action, found["a"])},
            "s": base,
        }
        serializers = {"a": EventSerializer, "s": SessionEventSerializer}
        data = [
            serializers[kind](found[kind][pk], context=contexts[kind]).data for kind, pk in page
        ]
        return self.get_paginated_response(data)


class Event(Collection):
    serializer_class = EventSerializer

    def get(self, request, uuid):
        event = events_of(request.user).filter(uuid=uuid).first()
        if event is not None:
            return self.one(event, Action)
        # A session's id is made from its number: the person's published sessions are few.
        for session in sessions_of(request.user):
            if session_uuid(session) == uuid:
                context = self.get_serializer_context()
                return Response(SessionEventSerializer(session, context=context).data)
        return not_found()


def visible_event(request, uuid) -> Action:
    event = events_of(request.user).filter(uuid=uuid).first()
    if event is None:
        raise exceptions.NotFound()
    return event


def participations_of(user, action: Action):
    return Participation.objects.filter(
        action=action, member__in=Member.objects.visible_to(user)
    ).select_related("action", "member")


def rsvps_of(user, action: Action):
    """Leaders and the local's stewards see an action's RSVPs; a partner their own people's."""
    roles = roles_for(user)
    local_id = action.campaign.local_id
    rsvps = Rsvp.objects.filter(action=action).select_related("action")
    if roles.leads(local_id) or local_id in roles.stewarded_local_ids:
        return rsvps
    return rsvps.filter(organisation_id__in=roles.organisation_ids)


def shows_contact(user, action: Action):
    """Whose email and phone the person sees, as on the action's page: leaders and the
    partner who added them all; stewards those who agreed to be contacted."""
    roles = roles_for(user)
    leads = roles.leads(action.campaign.local_id)
    return lambda rsvp: (
        leads or rsvp.organisation_id in roles.organisation_ids or rsvp.contact_shown_to_stewards()
    )


class Attendances(Collection):
    """An event's attendances: the members marked coming or there, then RSVPs."""

    serializer_class = ParticipationSerializer
    pagination_class = OsdiPagination.of("attendances")

    @extend_schema(operation_id="attendances_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request, uuid):
        event = visible_event(request, uuid)
        since = modified_filter(request)
        members = participations_of(request.user, event).filter(since)
        outsiders = rsvps_of(request.user, event).filter(since)
        rows = (
            members.annotate(kind=Value("p"))
            .values_list("kind", "pk", "updated_at")
            .union(
                outsiders.annotate(kind=Value("r")).values_list("kind", "pk", "updated_at"),
                all=True,
            )
            .order_by("updated_at", "pk")
        )
        page = self.paginate_queryset(rows)
        wanted = {"p": [pk for kind, pk, _at in page if kind == "p"]}
        wanted["r"] = [pk for kind, pk, _at in page if kind == "r"]
        found = {
            "p": members.in_bulk(wanted["p"]),
            "r": outsiders.in_bulk(wanted["r"]),
        }
        base = self.get_serializer_context()
        contexts = {
            "p": {**base, "identifiers": foreign_identifiers(Participation, wanted["p"])},
            "r": {
                **base,
                "identifiers": foreign_identifiers(Rsvp, wanted["r"]),
                "shows_contact": shows_contact(request.user, event),
            },
        }
        serializers = {"p": ParticipationSerializer, "r": RsvpSerializer}
        data = [
            serializers[kind](found[kind][pk], context=contexts[kind]).data
            for kind, pk, _at in page
        ]
        return self.get_paginated_response(data)

    def post(self, request, uuid):
        from .writes import record_attendance

        return record_attendance(self, request, visible_event(request, uuid))


class Attendance(Collection):
    serializer_class = ParticipationSerializer

    def get(self, request, uuid, attendance):
        event = visible_event(request, uuid)
        record = participations_of(request.user, event).filter(uuid=attendance).first()
        if record is not None:
            return self.one(record, Participation)
        rsvp = rsvps_of(request.user, event).filter(uuid=attendance).first()
        if rsvp is None:
            return not_found()
        context = {
            **self.get_serializer_context(),
            "identifiers": foreign_identifiers(Rsvp, [rsvp.pk]),
            "shows_contact": shows_contact(request.user, event),
        }
        return Response(RsvpSerializer(rsvp, context=context).data)
