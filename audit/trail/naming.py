"""Naming a record in words, with a link to its page, and listing what a change changed."""

from __future__ import annotations

from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from bargaining.models import Proposal
from campaigns.models import Building, Local, Member
from demands.models import Demand
from partners.models import Organisation

from ..models import (
    MembershipEvent,
)
from .sources import BY_KEY, IGNORED, KINDS, Change


class Namer:
    """Loads the events to show and what names them, a fixed number of queries per kind of
    record: the events, the versions before them, and the records they point at."""

    def __init__(self, wanted: list[tuple[str, int]]):
        self.events: dict[tuple[str, int], models.Model] = {}
        self.before: dict[tuple[str, int], models.Model] = {}
        self.registered: dict[tuple[str, int], Change] = {}
        by_source: dict[str, list[int]] = {}
        for source, pgh_id in wanted:
            by_source.setdefault(source, []).append(pgh_id)
        for key, ids in by_source.items():
            if BY_KEY[key].changes is not None:
                # A registered source names its own rows, in one query for them all.
                for pgh_id, change in BY_KEY[key].changes(ids).items():
                    self.registered[(key, pgh_id)] = change
                continue
            model = BY_KEY[key].model
            events = list(
                model.objects.filter(pgh_id__in=ids).annotate(
                    before_id=Subquery(
                        model.objects.filter(
                            pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id")
                        )
                        .order_by("-pgh_id")
                        .values("pgh_id")[:1]
                    )
                )
            )
            previous = model.objects.in_bulk([e.before_id for e in events if e.before_id])
            for event in events:
                self.events[(key, event.pgh_id)] = event
                if event.before_id:
                    self.before[(key, event.pgh_id)] = previous.get(event.before_id)
        self._load_names()

    def _ids(self, source: str, attname: str) -> set:
        return {
            getattr(event, attname)
            for (key, _pk), event in self.events.items()
            if key == source and getattr(event, attname) is not None
        }

    def _load_names(self) -> None:
        membership_ids = self._ids("assignment", "membership_id") | self._ids("role", "pgh_obj_id")
        memberships = {
            m.pk: (m.user_id, m.local_id)
            for m in Membership.objects.filter(pk__in=membership_ids).only("user", "local")
        }
        missing = membership_ids - memberships.keys()
        if missing:
            for event in MembershipEvent.objects.filter(pgh_obj_id__in=missing).order_by("pgh_id"):
                memberships[event.pgh_obj_id] = (event.user_id, event.local_id)
        self.memberships = memberships
        user_ids = self._ids("role", "user_id") | {user for user, _local in memberships.values()}
        self.users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
        local_ids = self._ids("role", "local_id") | {local for _u, local in memberships.values()}
        self.locals = {local.pk: local for local in Local.objects.filter(pk__in=local_ids)}
        self.buildings = dict(
            Building.objects.filter(pk__in=self._ids("assignment", "building_id")).values_list(
                "pk", "name"
            )
        )
        self.role_buildings: dict[int, list[str]] = {}
        through = Membership.buildings.through.objects.filter(
            membership_id__in=self._ids("role", "pgh_obj_id")
        ).select_related("building")
        for link in through.order_by("building__name"):
            self.role_buildings.setdefault(link.membership_id, []).append(link.building.name)
        self.organisations = dict(
            Organisation.objects.filter(pk__in=self._ids("role", "organisation_id")).values_list(
                "pk", "name"
            )
        )
        self.members = set(
            Member.objects.filter(pk__in=self._ids("member", "pgh_obj_id")).values_list(
                "pk", flat=True
            )
        )
        self.demands = {
            demand.pk: demand.get_absolute_url()
            for demand in Demand.objects.filter(pk__in=self._ids("demand", "pgh_obj_id"))
        }
        proposal_ids = self._ids("proposal", "pgh_obj_id") | self._ids(
            "proposal_version", "proposal_id"
        )
        self.proposals = {
            proposal.pk: proposal
            for proposal in Proposal.objects.filter(pk__in=proposal_ids).select_related("article")
        }

    def changes(self, pairs) -> list[Change]:
        found = []
        for pair in pairs:
            if pair in self.registered:
                found.append(self.registered[pair])
                continue
            event = self.events.get(pair)
            if event is None:
                continue
            name, url = self._name(pair[0], event)
            found.append(
                Change(
                    at=event.pgh_created_at,
                    kind=str(KINDS.get(event.pgh_label, event.pgh_label)),
                    label=event.pgh_label,
                    source=str(BY_KEY[pair[0]].label),
                    name=name,
                    url=url,
                    fields=_fields(event, self.before.get(pair)),
                )
            )
        return found

    def _person(self, user_id) -> str:
        user = self.users.get(user_id)
        return user.display_name if user else _("someone no longer here")

    def _team_url(self, local_id, user_id) -> str:
        local, user = self.locals.get(local_id), self.users.get(user_id)
        if local is None:
            return ""
        url = reverse("team:people", args=[local.slug])
        return f"{url}?q={user.email}" if user else url

    def _name(self, source: str, event) -> tuple[str, str]:
        if source == "member":
            name = f"{event.first_name} {event.last_name}".strip()
            url = reverse("campaigns:member", args=[event.pgh_obj_id])
            return _("Member %(name)s") % {"name": name}, (
                url if event.pgh_obj_id in self.members else ""
            )
        if source == "role":
            role = Role(event.role).label if event.role in Role.values else event.role
            local = self.locals.get(event.local_id)
            if event.role == Role.STEWARD and self.role_buildings.get(event.pgh_obj_id):
                scope = ", ".join(self.role_buildings[event.pgh_obj_id])
            elif event.role == Role.PARTNER and event.organisation_id in self.organisations:
                scope = self.organisations[event.organisation_id]
            else:
                scope = local.name if local else ""
            name = _("Role: %(role)s of %(scope)s for %(person)s") % {
                "role": str(role).lower(),
                "scope": scope,
                "person": self._person(event.user_id),
            }
            return name, self._team_url(event.local_id, event.user_id)
        if source == "assignment":
            user_id, local_id = self.memberships.get(event.membership_id, (None, None))
            name = _("Building assignment: %(building)s for %(person)s") % {
                "building": self.buildings.get(event.building_id, "?"),
                "person": self._person(user_id),
            }
            return name, self._team_url(local_id, user_id)
        if source == "demand":
            name = _("Demand “%(title)s”") % {"title": event.title}
            return name, self.demands.get(event.pgh_obj_id, "")
        if source == "proposal":
            proposal = self.proposals.get(event.pgh_obj_id)
            title = str(proposal) if proposal else event.topic
            url = proposal.get_absolute_url() if proposal else ""
            return _("Proposal “%(title)s”") % {"title": title}, url
        proposal = self.proposals.get(event.proposal_id)
        name = _("Proposal version %(number)s of “%(proposal)s”") % {
            "number": event.number,
            "proposal": str(proposal) if proposal else "?",
        }
        url = reverse("bargaining:proposal", args=[event.proposal_id]) if proposal else ""
        return name, url


def _fields(event, before) -> list[tuple[str, object, object]]:
    """What an update changed, old and new; creations and deletions name only the record."""
    if event.pgh_label != "update":
        return []
    fields = []
    for model_field in event._meta.fields:
        if model_field.name in IGNORED:
            continue
        new = getattr(event, model_field.attname)
        old = getattr(before, model_field.attname) if before else None
        if before is not None and old == new:
            continue
        fields.append((str(model_field.verbose_name), old, new))
    return fields
