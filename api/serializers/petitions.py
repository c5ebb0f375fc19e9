"""Petitions and their signatures, and the body of the record signature helper."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reach.models import Consent, Petition, Signature

from .base import Resource, absolute
from .people import PersonIn


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
        wording = obj.text_for(translation.get_language())
        return wording.title.text, wording.statement.text

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
    supporter in the app (``shows_contact``); an ``osdi:person`` link to the signer the token
    may read among the people: the member (``member_links``), else the supporter
    (``supporter_links``)."""

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
        elif member is None and self.context["supporter_links"](obj.supporter):
            links["osdi:person"] = {"href": absolute(request, "api:supporter", obj.supporter.uuid)}
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
