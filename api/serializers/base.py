"""What every OSDI resource has: ``identifiers``, the OSDI dates and HAL ``_links``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.zones import zone_of

from ..hal import CURIES

# Stand-ins for uuids in an address made once per request and route, then filled in: a page
# of a hundred people would otherwise resolve the same route a hundred times.
PLACEHOLDERS = [uuid.UUID(int=n) for n in range(1, 4)]


def local_iso(moment, local) -> str | None:
    """A moment as the local reads it: ISO 8601 in the local's zone, with its offset (an
    event at 19:00 in Los Angeles is ``19:00-08:00``, not ``03:00Z`` the next day)."""
    return None if moment is None else timezone.localtime(moment, zone_of(local)).isoformat()


def absolute(request, name: str, *args) -> str:
    """The address on the request's host; outside a request (webhooks), on SITE_URL."""
    if not all(isinstance(arg, uuid.UUID) for arg in args) or len(args) > len(PLACEHOLDERS):
        return _absolute(request, name, *args)
    templates = getattr(request, "_osdi_hrefs", None) if request is not None else None
    if templates is None:
        templates = {}
        if request is not None:
            request._osdi_hrefs = templates
    key = (name, len(args))
    if key not in templates:
        templates[key] = _absolute(request, name, *PLACEHOLDERS[: len(args)])
    href = templates[key]
    for placeholder, arg in zip(PLACEHOLDERS, args, strict=False):
        href = href.replace(str(placeholder), str(arg), 1)
    return href


def _absolute(request, name: str, *args) -> str:
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
