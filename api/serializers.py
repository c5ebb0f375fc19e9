"""OSDI resources as DRF serializers: people (members), events (actions), attendances
(participations and RSVPs), petitions and signatures, with their ``identifiers`` and HAL
links."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action, Participation, Rsvp
from campaigns.models import Member
from reach.models import Consent, Petition, Signature

from .hal import CURIES


def absolute(request, name: str, *args) -> str:
    """The address on the request's host; outside a request (webhooks), on SITE_URL."""
    if request is None:
        return settings.SITE_URL + reverse(name, args=args)
    return request.build_absolute_uri(reverse(name, args=args))


class Resource(serializers.ModelSerializer):
    """``identifiers`` (ours first, then what clients gave, from the context's
    ``identifiers``: {pk: [..]}), the OSDI dates and ``_links``."""

    identifiers = serializers.SerializerMethodField()
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)
    _links = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, obj) -> list[str]:
        foreign = self.context.get("identifiers", {}).get(obj.pk, [])
        return [f"common_good:{obj.uuid}", *foreign]

    @extend_schema_field({"type": "object"})
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        links = {"self": {"href": self.self_href(request, obj)}, "curies": CURIES}
        links.update(self.more_links(request, obj))
        return links

    def self_href(self, request, obj) -> str:
        raise NotImplementedError

    def more_links(self, request, obj) -> dict:
        return {}


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
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    status = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    total_accepted = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Action
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
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


class PetitionSerializer(Resource):
    """``title`` and ``description`` in the request's language (else the first written)."""

    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    petition_text = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    signature_goal = serializers.IntegerField(source="goal")
    total_signatures = serializers.IntegerField(source="signed", read_only=True, default=0)
    end_date = serializers.DateField(source="ends_on")
    browser_url = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "title",
            "description",
            "petition_text",
            "target",
            "signature_goal",
            "total_signatures",
            "end_date",
            "browser_url",
            "_links",
        ]

    def _text(self, obj) -> tuple[str, str]:
        return obj.statement_for(translation.get_language())

    def get_title(self, obj) -> str:
        return self._text(obj)[0]

    def get_description(self, obj) -> str:
        return self._text(obj)[1]

    def get_petition_text(self, obj) -> str:
        return self._text(obj)[1]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_target(self, obj) -> list[dict]:
        return [{"name": obj.target.name}]

    def get_browser_url(self, obj) -> str:
        """The public page, once the petition is published."""
        if not obj.is_published:
            return ""
        request = self.context["request"]
        if request is None:
            return settings.SITE_URL + obj.get_public_url()
        return request.build_absolute_uri(obj.get_public_url())

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:petition", obj.uuid)

    def more_links(self, request, obj) -> dict:
        signatures = {"href": absolute(request, "api:signatures", obj.uuid)}
        return {"osdi:signatures": signatures, "osdi:record_signature_helper": signatures}


class SignatureSerializer(Resource):
    """A counted signature. The signer's name always; their email only to those who see the
    supporter in the app (``shows_contact``); an ``osdi:person`` link to a member signer the
    token may read (``member_links``)."""

    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="confirmed_at", read_only=True)
    person = serializers.SerializerMethodField()
    origin_system = serializers.SerializerMethodField()

    class Meta:
        model = Signature
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "person",
            "origin_system",
            "_links",
        ]

    @extend_schema_field({"type": "object"})
    def get_person(self, obj) -> dict:
        supporter = obj.supporter
        person = {"family_name": supporter.display_name}
        if self.context["shows_contact"](obj) and supporter.email:
            person["email_addresses"] = [{"primary": True, "address": supporter.email}]
        return person

    def get_origin_system(self, obj) -> str:
        if obj.source == Signature.Source.API:
            return "API"
        return "Common Good"

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:signature", obj.petition.uuid, obj.uuid)

    def more_links(self, request, obj) -> dict:
        links = {"osdi:petition": {"href": absolute(request, "api:petition", obj.petition.uuid)}}
        member = obj.supporter.member
        if member is not None and self.context["member_links"](member):
            links["osdi:person"] = {"href": absolute(request, "api:person", member.uuid)}
        return links


class ConsentIn(serializers.Serializer):
    """Consent is recorded only when the client sends it, in the words the person agreed to."""

    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    wording = serializers.CharField(max_length=2000)


class PostalIn(serializers.Serializer):
    postal_code = serializers.CharField(max_length=20, required=False, default="")


class SignerIn(PersonIn):
    postal_addresses = PostalIn(many=True, required=False, default=list)


class SignatureIn(serializers.Serializer):
    """The body of the record signature helper."""

    identifiers = serializers.ListField(child=serializers.CharField(max_length=250), default=list)
    person = SignerIn()
    consent = ConsentIn(required=False)
    _links = serializers.DictField(required=False)

    def to_internal_value(self, data):
        # "common_good:consent" is not a Python name: read it as "consent".
        if isinstance(data, dict) and "common_good:consent" in data:
            data = {**data, "consent": data["common_good:consent"]}
        return super().to_internal_value(data)
