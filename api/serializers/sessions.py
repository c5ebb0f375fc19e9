"""Published bargaining sessions as OSDI events."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bargaining.models import Session

from ..hal import CURIES
from .base import absolute, local_iso

SESSIONS = uuid.UUID("5b7d2c1e-8f4a-4e2b-9c3d-1a6e0f9b7c25")


def session_uuid(session) -> uuid.UUID:
    """A bargaining session's id outside the app, made from its number: sessions are few,
    and their table is the bargaining app's own."""
    return uuid.uuid5(SESSIONS, f"session-{session.pk}")


class SessionEventSerializer(serializers.ModelSerializer):
    """A published bargaining session as an OSDI event: what the open-bargaining page shows
    of it (date, place, format, status, public summary), never its agenda, attendees or
    notes; its times in the local's zone, with their offset."""

    identifiers = serializers.SerializerMethodField()
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)
    type = serializers.SerializerMethodField()
    origin_system = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    start_date = serializers.SerializerMethodField()
    end_date = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "type",
            "origin_system",
            "name",
            "title",
            "description",
            "start_date",
            "end_date",
            "status",
            "visibility",
            "location",
            "_links",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, obj) -> list[str]:
        return [f"common_good:{session_uuid(obj)}"]

    def get_type(self, obj) -> str:
        return "bargaining_session"

    def get_origin_system(self, obj) -> str:
        return "Common Good"

    def get_name(self, obj) -> str:
        return str(obj.title)

    def get_title(self, obj) -> str:
        return str(obj.title)

    def get_description(self, obj) -> str:
        return obj.summary_text

    def get_start_date(self, obj) -> str:
        return local_iso(obj.starts_at, obj.campaign.local)

    def get_end_date(self, obj) -> str:
        return local_iso(obj.ends_at, obj.campaign.local)

    def get_status(self, obj) -> str:
        return SESSION_STATUS.get(obj.status, "confirmed")

    def get_visibility(self, obj) -> str:
        return "public"

    @extend_schema_field({"type": "object"})
    def get_location(self, obj) -> dict:
        return {"venue": obj.where} if obj.where else {}

    @extend_schema_field({"type": "object"})
    def get__links(self, obj) -> dict:
        href = absolute(self.context["request"], "api:event", session_uuid(obj))
        return {"self": {"href": href}, "curies": CURIES}


SESSION_STATUS = {
    Session.Status.PROPOSED: "tentative",
    Session.Status.CANCELLED: "cancelled",
    Session.Status.DECLINED_EMPLOYER: "rejected",
    Session.Status.DECLINED_UNION: "rejected",
}
