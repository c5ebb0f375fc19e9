"""Surveys as OSDI forms, their questions embedded, and their responses as submissions,
read-only and scoped as the app's pages are: the local's leaders read every answer; a steward
the answers of their buildings' members (whom they record answers for), never free text;
partners, who hand listening surveys out, read none."""

from __future__ import annotations

import uuid

from django.db.models import Count, Prefetch
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from accounts.access import roles_for
from campaigns.models import Member
from surveys.models import Answer, Question, Survey
from surveys.models import Response as SurveyResponse

from ..hal import CURIES, OsdiPagination, not_found
from ..serializers import absolute
from .resources import FILTER_PARAMETER, PAGING, Collection, modified_filter

# Surveys and their responses are the surveys app's tables: their ids outside the app are
# made from their numbers.
NAMESPACE = uuid.UUID("a3c9e7f1-4b2d-4f8a-9e6c-7d1b2a3c4e5f")


def form_uuid(survey) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"survey-{survey.pk}")


def question_uuid(question_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"question-{question_id}")


def submission_uuid(response) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"response-{response.pk}")


class FormSerializer(serializers.ModelSerializer):
    identifiers = serializers.SerializerMethodField()
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="modified", read_only=True)
    description = serializers.CharField(source="intro")
    total_submissions = serializers.IntegerField(source="submissions", read_only=True, default=0)
    _links = serializers.SerializerMethodField()
    _embedded = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "identifiers",
            "created_date",
            "modified_date",
            "title",
            "description",
            "status",
            "audience",
            "total_submissions",
            "_links",
            "_embedded",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, obj) -> list[str]:
        return [f"common_good:{form_uuid(obj)}"]

    @extend_schema_field({"type": "object"})
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        return {
            "self": {"href": absolute(request, "api:form", form_uuid(obj))},
            "curies": CURIES,
            "osdi:submissions": {"href": absolute(request, "api:submissions", form_uuid(obj))},
        }

    @extend_schema_field({"type": "object"})
    def get__embedded(self, obj) -> dict:
        questions = [
            {
                "identifiers": [f"common_good:{question_uuid(q.pk)}"],
                "title": q.text,
                "question_type": q.kind,
                "required": q.required,
                "choices": q.choice_list,
            }
            for q in obj.questions.all()
        ]
        return {"osdi:questions": questions}


class SubmissionSerializer(serializers.ModelSerializer):
    """One person's answers; free text only for those who read it in the app (``free_text``),
    a member as an ``osdi:person`` link where the token may read them (``member_links``)."""

    identifiers = serializers.SerializerMethodField()
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)
    answers = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = ["identifiers", "created_date", "modified_date", "answers", "_links"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_identifiers(self, obj) -> list[str]:
        return [f"common_good:{submission_uuid(obj)}"]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_answers(self, obj) -> list[dict]:
        found: dict[int, dict] = {}
        for answer in obj.answers.all():
            if answer.question.kind == Question.Kind.TEXT and not self.context["free_text"]:
                continue
            row = found.setdefault(
                answer.question_id,
                {"question": f"common_good:{question_uuid(answer.question_id)}", "values": []},
            )
            row["values"].append(answer.text or answer.value)
        return list(found.values())

    @extend_schema_field({"type": "object"})
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        links = {
            "curies": CURIES,
            "osdi:form": {"href": absolute(request, "api:form", self.context["form_uuid"])},
        }
        if obj.member_id and obj.member_id in self.context["readable"]:
            links["osdi:person"] = {"href": absolute(request, "api:person", obj.member.uuid)}
        return links


def forms_of(user):
    return (
        Survey.objects.visible_to(user)
        .annotate(
            submissions=Count("responses", distinct=True),
            modified=Greatest(
                "created_at",
                Coalesce("opened_at", "created_at"),
                Coalesce("closed_at", "created_at"),
            ),
        )
        .select_related("campaign")
        .prefetch_related("questions")
    )


def visible_form(user, uuid_) -> Survey | None:
    # The person's surveys are few: find the one whose id is made from its number.
    for survey in Survey.objects.visible_to(user).only("pk"):
        if form_uuid(survey) == uuid_:
            return forms_of(user).get(pk=survey.pk)
    return None


class Forms(Collection):
    serializer_class = FormSerializer
    pagination_class = OsdiPagination.of("forms")

    @extend_schema(operation_id="forms_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request):
        forms = forms_of(request.user).filter(modified_filter(request, "modified")).order_by("pk")
        page = self.paginate_queryset(forms)
        context = self.get_serializer_context()
        return self.get_paginated_response(FormSerializer(page, many=True, context=context).data)


class Form(Collection):
    serializer_class = FormSerializer

    def get(self, request, uuid):
        survey = visible_form(request.user, uuid)
        if survey is None:
            return not_found()
        return Response(FormSerializer(survey, context=self.get_serializer_context()).data)


class Submissions(Collection):
    """A survey's responses: a leader's locals' all; a steward's their buildings' members'."""

    serializer_class = SubmissionSerializer
    pagination_class = OsdiPagination.of("submissions")

    @extend_schema(operation_id="submissions_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request, uuid):
        survey = visible_form(request.user, uuid)
        if survey is None:
            raise exceptions.NotFound()
        roles = roles_for(request.user)
        leads = roles.leads(survey.campaign.local_id)
        if not leads and not (survey.for_members and roles.is_steward):
            raise exceptions.PermissionDenied(_("Only the local's leaders read the answers."))
        members = Member.objects.visible_to(request.user)
        responses = SurveyResponse.objects.filter(survey=survey)
        if not leads:
            responses = responses.filter(member__in=members)
        responses = (
            responses.filter(modified_filter(request))
            .select_related("member")
            .prefetch_related(
                Prefetch("answers", Answer.objects.select_related("question").order_by("pk"))
            )
            .order_by("pk")
        )
        page = self.paginate_queryset(responses)
        member_ids = [r.member_id for r in page if r.member_id]
        context = {
            **self.get_serializer_context(),
            "free_text": leads,
            "form_uuid": form_uuid(survey),
            "readable": set(members.filter(pk__in=member_ids).values_list("pk", flat=True)),
        }
        data = SubmissionSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
