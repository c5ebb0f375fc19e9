"""The API's writes, each with the same checks as the app's page for the same thing: recording
an attendance (the participation page) and the person signup helper (the member form for the
union's people; for a partner's, the supporters their organisation brings)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.access import roles_for
from actions.models import Action, Participation
from campaigns.models import Local, Member
from campaigns.phones import normalise_phone_or_none
from reach.models import Supporter

from .. import webhooks
from ..hal import osdi_status
from ..models import Identifier
from ..serializers import (
    AttendanceIn,
    ParticipationSerializer,
    PersonSerializer,
    SignupIn,
    SupporterSerializer,
)
from .resources import Collection, foreign_identifiers, parse_uuid, people_of, supporters_of

SIGNUP_DESCRIPTION = (
    "Upserts a person. A leader's or steward's token works on members, as the member form "
    "does: matched on an identifier or an email, the member is updated (a steward's only in "
    "their buildings); someone new is added to the leader's local. A partner's token works on "
    "the supporters its organisation brings: matched on an identifier the partner gave or on "
    "the email (which a new supporter needs), the supporter is updated where they left a "
    "field blank, else made, brought by the partner's organisation. When the email is already "
    "someone the partner does not see (a member, or another partner's supporter), nothing of "
    "theirs changes and the answer is 202 with no person in it."
)


def person_payload(view, member: Member) -> dict:
    context = {**view.get_serializer_context(), "identifiers": {}}
    return dict(PersonSerializer(member, context=context).data)


def members_for(user, action: Action):
    """Whom this person may mark for this action: as on the participation page."""
    members = Member.objects.visible_to(user).current().filter(local=action.campaign.local)
    building_ids = list(action.buildings.values_list("pk", flat=True))
    if building_ids:
        members = members.filter(building_id__in=building_ids)
    return members


def find_member(people, person: dict | None, identifiers: list[str]) -> Member | None:
    ids = list(identifiers)
    emails = []
    if person:
        ids += person.get("identifiers", [])
        emails = [e["address"].strip().lower() for e in person.get("email_addresses", [])]
    pk = Identifier.find(Member, ids) if ids else None
    if pk is not None:
        return people.filter(pk=pk).first()
    for email in emails:
        found = people.filter(Q(work_email__iexact=email) | Q(personal_email__iexact=email))
        member = found.order_by("pk").first()
        if member is not None:
            return member
    return None


def record_attendance(view, request, action: Action) -> Response:
    roles = roles_for(request.user)
    local_id = action.campaign.local_id
    if not (roles.leads(local_id) or local_id in roles.stewarded_local_ids):
        raise exceptions.PermissionDenied(_("Only the local's leaders and stewards mark members."))
    if action.is_cancelled:
        raise exceptions.PermissionDenied(_("This action was cancelled."))
    body = AttendanceIn(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    person_href = (data.get("_links") or {}).get("osdi:person", {})
    identifiers = list(data["identifiers"])
    if isinstance(person_href, dict) and person_href.get("href"):
        found = parse_uuid(person_href["href"].rstrip("/").rsplit("/", 1)[-1])
        if found:
            identifiers.append(f"common_good:{found}")
    member = find_member(members_for(request.user, action), data.get("person"), identifiers)
    if member is None:
        raise exceptions.NotFound(_("No member you can mark for this action is that person."))
    answers = {"coming": data["status"] == "accepted"}
    if data["attended"]:
        answers["attended"] = True
    with transaction.atomic():
        record, created = Participation.mark(action, member, by=request.user, **answers)
        context = {**view.get_serializer_context(), "identifiers": {}}
        payload = dict(ParticipationSerializer(record, context=context).data)
        if record.coming:
            webhooks.plan(local_id, "rsvp", f"rsvp:{record.uuid}", payload)
        if record.attended:
            webhooks.plan(local_id, "attendance", f"attendance:{record.uuid}", payload)
    context = {
        **view.get_serializer_context(),
        "identifiers": foreign_identifiers(Participation, [record.pk]),
    }
    return Response(
        ParticipationSerializer(record, context=context).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


class PersonSignupHelper(Collection):
    """``osdi:person_signup_helper``: the same person, matched on an identifier or an email,
    is updated; someone new is added to the leader's local. Stewards update their buildings'
    members and add nobody, as in the app (members come from the roster)."""

    serializer_class = PersonSerializer

    @extend_schema(
        request=SignupIn,
        responses={200: PersonSerializer, 201: PersonSerializer, 202: {"type": "object"}},
        description=SIGNUP_DESCRIPTION,
    )
    def post(self, request):
        roles = roles_for(request.user)
        if roles.is_partner and not (roles.is_leader or roles.is_steward):
            return signup_supporter(self, request)
        if not (roles.is_leader or roles.is_steward):
            raise exceptions.PermissionDenied(_("Only the union's people add members."))
        body = SignupIn(data=request.data)
        body.is_valid(raise_exception=True)
        person = body.validated_data["person"]
        emails = [e["address"].strip().lower() for e in person["email_addresses"]]
        phones = [
            normalise_phone_or_none(p["number"]) or p["number"].strip()
            for p in person["phone_numbers"]
        ]
        with transaction.atomic():
            member = find_member(
                people_of(request.user).select_for_update(of=("self",)), person, []
            )
            created = member is None
            if created:
                local = Local.objects.led_by(request.user).order_by("pk").first()
                if local is None:
                    raise exceptions.PermissionDenied(
                        _("Only leaders add people; stewards update their buildings' members.")
                    )
                if not person.get("family_name") and not person.get("given_name"):
                    raise exceptions.ValidationError({"person": [_("A new person needs a name.")]})
                try:
                    with transaction.atomic():
                        member = Member.objects.create(
                            local=local,
                            first_name=person.get("given_name", ""),
                            last_name=person.get("family_name", ""),
                            work_email=emails[0] if emails else "",
                            phone=phones[0] if phones else "",
                        )
                except IntegrityError:
                    # The same person signed up at the same moment by another call: theirs.
                    raise exceptions.Throttled(wait=1) from None
            else:
                self.update(member, person, emails, phones)
            Identifier.attach(member, person["identifiers"])
            if created:
                payload = person_payload(self, member)
                webhooks.plan(member.local_id, "person", f"person:{member.uuid}", payload)
        member = people_of(request.user).get(pk=member.pk)
        return Response(
            self.one(member, Member).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @staticmethod
    def update(member: Member, person: dict, emails: list[str], phones: list[str]) -> None:
        """Only what the client sent, and a new email only where the member has none."""
        fields = []
        for ours, theirs in (("first_name", "given_name"), ("last_name", "family_name")):
            if person.get(theirs):
                setattr(member, ours, person[theirs])
                fields.append(ours)
        known = {member.work_email.lower(), member.personal_email.lower()}
        new = [email for email in emails if email not in known]
        if new and not member.personal_email:
            member.personal_email = new[0]
            fields.append("personal_email")
        if phones and not member.phone:
            member.phone = phones[0]
            fields.append("phone")
        if fields:
            # A new version, so a member form opened before this cannot save over it.
            member.version = F("version") + 1
            member.save(update_fields=[*fields, "updated_at", "version"])


def supporter_payload(supporter: Supporter) -> dict:
    """A new supporter as the local's leaders' webhooks read them (the campaign's consent)."""
    supporter = (
        Supporter.objects.with_subscription(local_ids={supporter.local_id}, organisation_ids=())
        .filter(pk=supporter.pk)
        .get()
    )
    context = {"request": None, "identifiers": {}}
    return dict(SupporterSerializer(supporter, context=context).data)


def partners_supporter(theirs, local, identifiers: list[str], email: str):
    """Whom a partner's signup names, and whether the partner may write to them: their own
    supporter by an identifier they gave or the email; nobody (``None, True``) when no one
    in the local has the email; ``None, False`` when someone the partner does not see has
    it (a member, another partner's supporter, one the union entered)."""
    pk = Identifier.find(Supporter, identifiers)
    mine = theirs.filter(pk=pk).first() if pk is not None else None
    if mine is not None:
        return mine, True
    other = Supporter.with_email(local, email)
    if other is not None:
        return (other, True) if theirs.filter(pk=other.pk).exists() else (None, False)
    return None, Supporter.member_with_email(local, email) is None


def signup_supporter(view, request) -> Response:
    """A partner's person signup: the supporter their organisation brought, upserted on an
    identifier the partner gave or the email, as the partner's public link does."""
    membership = min(
        (m for m in roles_for(request.user).memberships if m.organisation_id),
        key=lambda m: m.pk,
    )
    body = SignupIn(data=request.data)
    body.is_valid(raise_exception=True)
    person = body.validated_data["person"]
    emails = [e["address"].strip().lower() for e in person["email_addresses"]]
    if not emails:
        raise exceptions.ValidationError({"person": [_("A new supporter needs an email.")]})
    name = " ".join(p for p in (person.get("given_name"), person.get("family_name")) if p)
    details = {
        "name": name,
        "phone": person["phone_numbers"][0]["number"] if person["phone_numbers"] else "",
        "brought_by": membership.organisation,
    }
    theirs = supporters_of(request.user)
    local = membership.local
    refused = Response(
        osdi_status(202, _("Recorded. This person is not one your organisation brought.")),
        status=status.HTTP_202_ACCEPTED,
    )
    with transaction.atomic():
        supporter, free = partners_supporter(theirs, local, person["identifiers"], emails[0])
        if not free:
            # Someone the partner does not see: nothing of theirs changes, and the answer
            # says nothing about them.
            return refused
        created = supporter is None
        if created:
            supporter, created = Supporter.match_or_create(local, email=emails[0], **details)
            if not theirs.filter(pk=supporter.pk).exists():
                return refused  # made by someone else at the same moment
        else:
            supporter.fill_in(**details)
        Identifier.attach(supporter, person["identifiers"], take=False)
        if created:
            webhooks.plan(
                supporter.local_id,
                "person",
                f"person:{supporter.uuid}",
                supporter_payload(supporter),
            )
    supporter = theirs.get(pk=supporter.pk)
    context = {
        **view.get_serializer_context(),
        "identifiers": foreign_identifiers(Supporter, [supporter.pk]),
    }
    return Response(
        SupporterSerializer(supporter, context=context).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )
