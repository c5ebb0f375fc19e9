"""Petitions and their signatures (the reach app), read as the token's person sees them in
the app, and the OSDI record signature helper: a POST on a petition's signatures, recorded as
a paper sheet's row is (``Petition.record_signature``), with the API as its source."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.access import roles_for
from campaigns.models import Member
from reach.models import Consent, Petition, Signature, Supporter

from .. import webhooks
from ..hal import OsdiPagination, not_found
from ..models import Identifier
from ..serializers import PetitionSerializer, SignatureIn, SignatureSerializer
from .resources import (
    FILTER_PARAMETER,
    PAGING,
    Collection,
    foreign_identifiers,
    modified_filter,
    parse_uuid,
    supporters_of,
)


def petitions_of(user):
    return Petition.objects.visible_to(user).select_related("campaign", "target").with_counts()


def visible_petition(request, uuid) -> Petition:
    petition = petitions_of(request.user).filter(uuid=uuid).first()
    if petition is None:
        raise exceptions.NotFound()
    return petition


def signatures_of(user, petition: Petition):
    """Counted signatures whose signer the person sees in the app: leaders every one, a
    partner those their organisation brought, a steward the members of their buildings."""
    seen = Q(supporter__in=Supporter.objects.visible_to(user)) | Q(
        supporter__member__in=Member.objects.visible_to(user)
    )
    return (
        Signature.objects.counted()
        .filter(petition=petition)
        .filter(seen)
        .select_related("petition", "supporter__member")
    )


def signature_context(view, user, signatures) -> dict:
    """Two queries for any number of signatures: whose contact and which members it shows
    (a supporter whose contact it shows is one of the people it reads)."""
    supporters = {s.supporter_id for s in signatures}
    contact = set(
        Supporter.objects.visible_to(user).filter(pk__in=supporters).values_list("pk", flat=True)
    )
    members = {s.supporter.member_id for s in signatures if s.supporter.member_id}
    readable = set(
        Member.objects.visible_to(user).filter(pk__in=members).values_list("pk", flat=True)
    )
    return {
        **view.get_serializer_context(),
        "identifiers": foreign_identifiers(Signature, [s.pk for s in signatures]),
        "shows_contact": lambda signature: signature.supporter_id in contact,
        "member_links": lambda member: member.pk in readable,
        "supporter_links": lambda supporter: supporter.pk in contact,
    }


class Petitions(Collection):
    """The petitions the token's person sees: the union's people their locals', partners the
    published ones."""

    serializer_class = PetitionSerializer
    pagination_class = OsdiPagination.of("petitions")

    @extend_schema(operation_id="petitions_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request):
        petitions = petitions_of(request.user).filter(modified_filter(request)).order_by("pk")
        return self.page_response(petitions, Petition)


class PetitionDetail(Collection):
    serializer_class = PetitionSerializer

    def get(self, request, uuid):
        petition = petitions_of(request.user).filter(uuid=uuid).first()
        return not_found() if petition is None else self.one(petition, Petition)


class Signatures(Collection):
    """A petition's counted signatures as the person sees them; POST is the record signature
    helper."""

    serializer_class = SignatureSerializer
    pagination_class = OsdiPagination.of("signatures")

    @extend_schema(operation_id="signatures_list", parameters=[FILTER_PARAMETER, *PAGING])
    def get(self, request, uuid):
        petition = visible_petition(request, uuid)
        signatures = (
            signatures_of(request.user, petition)
            .filter(modified_filter(request, "confirmed_at"))
            .order_by("confirmed_at", "pk")
        )
        page = self.paginate_queryset(signatures)
        context = signature_context(self, request.user, page)
        return self.get_paginated_response(
            SignatureSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=SignatureIn, responses={200: SignatureSerializer})
    def post(self, request, uuid):
        return record_signature(self, request, visible_petition(request, uuid))


class SignatureDetail(Collection):
    serializer_class = SignatureSerializer

    def get(self, request, uuid, signature):
        petition = visible_petition(request, uuid)
        found = signatures_of(request.user, petition).filter(uuid=signature).first()
        if found is None:
            return not_found()
        context = signature_context(self, request.user, [found])
        return Response(SignatureSerializer(found, context=context).data)


def organisation_of(user, petition: Petition):
    """A partner's signatures are credited to their organisation, as their paper sheets are."""
    roles = roles_for(user)
    local_id = petition.campaign.local_id
    if roles.leads(local_id):
        return None
    for membership in roles.memberships:
        if membership.organisation_id and membership.local_id == local_id:
            return membership.organisation
    return None


def known_signer(user, petition: Petition, person: dict, links: dict):
    """Whom a client's identifiers name, as ``(supporter, email)``: a supporter it gave us
    before or one of the people it reads by ``common_good:<uuid>`` or the ``osdi:person``
    link, or a member the token may read (by an id it gave us, ``common_good:<uuid>`` or
    the link), who is matched on their email as on a paper sheet."""
    local_id = petition.campaign.local_id
    pk = Identifier.find(Supporter, foreign(person))
    if pk is not None:
        supporter = Supporter.objects.filter(local_id=local_id, pk=pk).first()
        if supporter is not None:
            return supporter, ""
    members = Member.objects.visible_to(user).filter(local_id=local_id)
    member_pk = Identifier.find(Member, foreign(person))
    ours = [
        value
        for prefix, _sep, value in (i.partition(":") for i in person.get("identifiers", []))
        if prefix == "common_good"
    ]
    href = (links.get("osdi:person") or {}).get("href", "")
    if href:
        ours.append(href.rstrip("/").rsplit("/", 1)[-1])
    member_uuids = [found for found in map(parse_uuid, ours) if found]
    seen = supporters_of(user).filter(local_id=local_id, uuid__in=member_uuids).first()
    if seen is not None:
        return seen, ""
    member = members.filter(Q(pk=member_pk) | Q(uuid__in=member_uuids)).order_by("pk").first()
    if member is None:
        return None, ""
    supporter = Supporter.objects.filter(local_id=local_id, member=member).order_by("pk").first()
    return supporter, member.work_email or member.personal_email


def foreign(person: dict) -> list[str]:
    """The ids other tools gave the person (ours are not stored)."""
    return [i for i in person.get("identifiers", []) if not i.startswith("common_good:")]


def record_signature(view, request, petition: Petition) -> Response:
    if not petition.can_enter_paper(request.user):
        raise exceptions.PermissionDenied(_("You may not add signatures to this petition."))
    body = SignatureIn(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    person = data["person"]
    emails = [e["address"].strip().lower() for e in person["email_addresses"]]
    name = " ".join(p for p in (person.get("given_name"), person.get("family_name")) if p)
    organisation = organisation_of(request.user, petition)
    consent = data.get("consent")
    if consent and consent["purpose"] == Consent.Purpose.PARTNER_UPDATES and not organisation:
        raise exceptions.ValidationError(
            {"common_good:consent": [_("Only a partner's token records consent to its updates.")]}
        )
    with transaction.atomic():
        supporter, member_email = known_signer(
            request.user, petition, person, data.get("_links") or {}
        )
        emails = emails or ([member_email] if member_email else [])
        if supporter is None and not emails and not name:
            raise exceptions.ValidationError(
                {"person": [_("A new signer needs a name or an email.")]}
            )
        row = {
            "supporter": supporter,
            "email": emails[0] if emails else "",
            "name": name,
            "phone": person["phone_numbers"][0]["number"] if person["phone_numbers"] else "",
            "postcode": next(
                (a["postal_code"] for a in person["postal_addresses"] if a["postal_code"]), ""
            ),
        }
        signature, made = petition.record_signature(
            row, by=request.user, organisation=organisation, source=Signature.Source.API
        )
        if signature.supporter.member_id is None:
            # A member's ids are the member's (the people collection), not a supporter's.
            Identifier.attach(signature.supporter, foreign(person))
        Identifier.attach(signature, data["identifiers"])
        if consent:
            signature.supporter.give_consent(
                consent["purpose"],
                how=Consent.How.IMPORT,
                wording=consent["wording"],
                organisation=organisation if consent["purpose"] == "partner_updates" else None,
            )
        if made:
            webhooks.plan(
                petition.campaign.local_id,
                "signature",
                f"signature:{signature.uuid}",
                webhooks.signature_document(signature),
            )
    signature = Signature.objects.select_related("petition", "supporter__member").get(
        pk=signature.pk
    )
    context = signature_context(view, request.user, [signature])
    return Response(
        SignatureSerializer(signature, context=context).data,
        status=status.HTTP_201_CREATED if made else status.HTTP_200_OK,
    )
