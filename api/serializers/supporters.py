"""Supporters (the reach app's people outside the roster) as OSDI people."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reach.models import Supporter

from .base import Resource, absolute


class SupporterSerializer(Resource):
    """A supporter as an OSDI person. Their one name is the ``family_name`` (as RSVPs and
    signers are); their address's ``status`` says whether they agreed to the reader's updates
    (the campaign's for a leader, the partner's own for a partner person), read from the
    queryset's ``subscribed`` (``Supporter.objects.with_subscription``)."""

    family_name = serializers.CharField(source="name")
    email_addresses = serializers.SerializerMethodField()
    phone_numbers = serializers.SerializerMethodField()
    postal_addresses = serializers.SerializerMethodField()
    languages_spoken = serializers.SerializerMethodField()

    class Meta:
        model = Supporter
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "family_name",
            "email_addresses",
            "phone_numbers",
            "postal_addresses",
            "languages_spoken",
            "_links",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_email_addresses(self, obj) -> list[dict]:
        if not obj.email:
            return []
        status = "subscribed" if getattr(obj, "subscribed", False) else "unsubscribed"
        return [{"primary": True, "address": obj.email, "status": status}]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_phone_numbers(self, obj) -> list[dict]:
        return [{"primary": True, "number": obj.phone}] if obj.phone else []

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_postal_addresses(self, obj) -> list[dict]:
        return [{"primary": True, "postal_code": obj.postcode}] if obj.postcode else []

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_languages_spoken(self, obj) -> list[str]:
        return [obj.language] if obj.language else []

    def self_href(self, request, obj) -> str:
        return absolute(request, "api:supporter", obj.uuid)
