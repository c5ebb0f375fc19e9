"""People (members), events (actions) and attendances (participations and RSVPs), and the
bodies the API's writes read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action, Participation, Rsvp
from campaigns.models import Member

from .base import Resource, absolute, local_iso


class PersonSerializer(Resource):
    given_name = serializers.CharField(source="first_name")
    family_name = serializers.CharField(source="last_name")
    email_addresses = serializers.SerializerMethodField()
    phone_numbers = serializers.SerializerMethodField()
    postal_addresses = serializers.SerializerMethodField()
    languages_spoken = serializers.SerializerMethodField()
    employer = serializers.CharField(source="local.employer", read_only=True)

    class Meta:
        model = Member
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "given_name",
            "family_name",
            "email_addresses",
            "phone_numbers",
            "postal_addresses",
            "languages_spoken",
            "employer",
            "_links",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_email_addresses(self, obj) -> list[dict]:
        emails = [(obj.work_email, "work"), (obj.personal_email, "personal")]
        present = [(address, kind) for address, kind in emails if address]
        return [
            {"primary": index == 0, "address": address, "address_type": kind}
            for index, (address, kind) in enumerate(present)
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_phone_numbers(self, obj) -> list[dict]:
        return [{"primary": True, "number": obj.phone}] if obj.phone else []

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_postal_addresses(self, obj) -> list[dict]:
        # Members are known by where they work: the building is their postal address.
        if obj.building_id is None or not obj.building.address:
            return []
        return [
            {
                "primary": True,
                "address_type": "work",
                "venue": obj.building.name,
                "address_lines": [obj.building.address],
            }
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_languages_spoken(self, obj) -> list[str]:
        return [obj.preferred_language] if obj.preferred_language else []

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:person", obj.uuid)


class EventSerializer(Resource):
    name = serializers.CharField(source="title")
    title = serializers.CharField()
    description = serializers.CharField()
    start_date = serializers.SerializerMethodField()
    end_date = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    total_accepted = serializers.IntegerField(read_only=True, default=0)
    type = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "type",
            "name",
            "title",
            "description",
            "start_date",
            "end_date",
            "status",
            "visibility",
            "location",
            "total_accepted",
            "_links",
        ]

    def get_type(self, obj) -> str:
        return "action"

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_start_date(self, obj) -> str | None:
        return local_iso(obj.starts_at, obj.campaign.local)

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_end_date(self, obj) -> str | None:
        return local_iso(obj.ends_at, obj.campaign.local)

    def get_status(self, obj) -> str:
        return "cancelled" if obj.is_cancelled else "confirmed"

    def get_visibility(self, obj) -> str:
        return "public" if obj.is_public else "private"

    @extend_schema_field({"type": "object"})
    def get_location(self, obj) -> dict:
        return {"venue": obj.place} if obj.place else {}

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:event", obj.uuid)

    def more_links(self, request, obj) -> dict:
        return {"osdi:attendances": {"href": absolute(request, "api:attendances", obj.uuid)}}


class ParticipationSerializer(Resource):
    """A member's answer for an action: coming ("accepted"), came ("attended")."""

    created_date = serializers.DateTimeField(source="updated_at", read_only=True)
    status = serializers.SerializerMethodField()
    attended = serializers.BooleanField()

    class Meta:
        model = Participation
        fields = ["identifiers", "created_date", "modified_date", "status", "attended", "_links"]

    def get_status(self, obj) -> str:
        if obj.attended or obj.coming:
            return "accepted"
        return "declined"

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:attendance", obj.action.uuid, obj.uuid)

    def more_links(self, request, obj) -> dict:
        return {
            "osdi:event": {"href": absolute(request, "api:event", obj.action.uuid)},
            "osdi:person": {"href": absolute(request, "api:person", obj.member.uuid)},
        }


class RsvpSerializer(Resource):
    """Someone from outside the roster coming to an action. Their contact is shown only to
    those who see it in the app (see ``contact``)."""

    status = serializers.SerializerMethodField()
    attended = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()

    class Meta:
        model = Rsvp
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "status",
            "attended",
            "person",
            "_links",
        ]

    def get_status(self, obj) -> str:
        return "accepted"

    def get_attended(self, obj) -> bool:
        return False

    @extend_schema_field({"type": "object"})
    def get_person(self, obj) -> dict:
        person = {"family_name": obj.name}
        if self.context["shows_contact"](obj):
            if obj.email:
                person["email_addresses"] = [{"primary": True, "address": obj.email}]
            if obj.phone:
                person["phone_numbers"] = [{"primary": True, "number": obj.phone}]
        return person

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:attendance", obj.action.uuid, obj.uuid)

    def more_links(self, request, obj) -> dict:
        return {"osdi:event": {"href": absolute(request, "api:event", obj.action.uuid)}}


class EmailIn(serializers.Serializer):
    address = serializers.EmailField()
    primary = serializers.BooleanField(required=False)


class PhoneIn(serializers.Serializer):
    number = serializers.CharField(max_length=40)


class PersonIn(serializers.Serializer):
    identifiers = serializers.ListField(child=serializers.CharField(max_length=250), default=list)
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    email_addresses = EmailIn(many=True, required=False, default=list)
    phone_numbers = PhoneIn(many=True, required=False, default=list)


class SignupIn(serializers.Serializer):
    """The body of ``osdi:person_signup_helper``."""

    person = PersonIn()


class AttendanceIn(serializers.Serializer):
    """The body of a new attendance: the person by an identifier or the ``osdi:person`` link,
    and whether they are coming or came."""

    identifiers = serializers.ListField(child=serializers.CharField(max_length=250), default=list)
    person = PersonIn(required=False)
    status = serializers.ChoiceField(choices=["accepted", "declined"], default="accepted")
    attended = serializers.BooleanField(required=False, default=False)
    _links = serializers.DictField(required=False)
