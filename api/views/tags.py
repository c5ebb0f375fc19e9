"""Tags and taggings, mapped onto the category the app already keeps for every member: the
support level (1 leader or activist ... 5 opposed), which is what locals tag people with in
Action Network and Action Builder. The five tags are fixed; a tagging is a member at a level."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from campaigns.models import Member

from ..hal import CURIES, OsdiPagination
from ..serializers import absolute
from .resources import FILTER_PARAMETER, PAGING, Collection, modified_filter, people_of

NAMESPACE = uuid.UUID("0b8f5a3e-2a41-4c3b-9f39-6d7f1c2e9a10")
TAGS = {uuid.uuid5(NAMESPACE, f"support-level-{level}"): level for level in Member.SupportLevel}


class TagSerializer(serializers.Serializer):
    identifiers = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    origin_system = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, tag_uuid) -> list[str]:
        return [f"common_good:{tag_uuid}"]

    def get_name(self, tag_uuid) -> str:
        return str(Member.SupportLevel(TAGS[tag_uuid]).label)

    def get_origin_system(self, tag_uuid) -> str:
        return "Common Good"

    @extend_schema_field({"type": "object"})
    def get__links(self, tag_uuid) -> dict:
        request = self.context["request"]
        return {
            "self": {"href": absolute(request, "api:tag", tag_uuid)},
            "curies": CURIES,
            "osdi:taggings": {"href": absolute(request, "api:taggings", tag_uuid)},
        }


class TaggingSerializer(serializers.ModelSerializer):
    identifiers = serializers.SerializerMethodField()
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)
    _links = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ["identifiers", "modified_date", "_links"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, member) -> list[str]:
        return [f"common_good:{uuid.uuid5(self.context['tag'], str(member.uuid))}"]

    @extend_schema_field({"type": "object"})
    def get__links(self, member) -> dict:
        request = self.context["request"]
        return {
            "curies": CURIES,
            "osdi:tag": {"href": absolute(request, "api:tag", self.context["tag"])},
            "osdi:person": {"href": absolute(request, "api:person", member.uuid)},
        }


def known_tag(uuid_) -> uuid.UUID:
    if uuid_ not in TAGS:
        raise exceptions.NotFound()
    return uuid_


class Tags(Collection):
    """The five support levels. They do not change: a ``modified_date`` filter is accepted and
    checked, and every tag is as old as the app."""

    serializer_class = TagSerializer
    pagination_class = OsdiPagination.of("tags")

    @extend_schema(operation_id="tags_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request):
        modified_filter(request)
        page = self.paginate_queryset(list(TAGS))
        data = TagSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class Tag(Collection):
    serializer_class = TagSerializer

    def get(self, request, uuid):
        tag = known_tag(uuid)
        return Response(TagSerializer(tag, context=self.get_serializer_context()).data)


class Taggings(Collection):
    """The members at a support level, within the token's scope."""

    serializer_class = TaggingSerializer
    pagination_class = OsdiPagination.of("taggings")

    @extend_schema(operation_id="taggings_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request, uuid):
        tag = known_tag(uuid)
        members = (
            people_of(request.user)
            .filter(support_level=TAGS[tag])
            .filter(modified_filter(request))
            .order_by("pk")
        )
        page = self.paginate_queryset(members)
        context = {**self.get_serializer_context(), "tag": tag}
        return self.get_paginated_response(TaggingSerializer(page, many=True, context=context).data)
