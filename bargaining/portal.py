"""The partner portal: what the coalition shares with a partner organisation's people.

It gathers the demands shared with or co-authored by their organisations, the actions they
are invited to, their listening sessions and their support, so it sits after every app it
reads (partners, demands, actions) and the URL keeps its place among the partners' pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import roles_for
from actions.models import Action
from demands.models import Demand
from partners.models import ListeningSession, Organisation, Support

DEMANDS_PAGE = 20
# Invitations, sessions and support are the latest few; the organisation's page has the rest.
LATEST = 10
QUERY_LENGTH = 100


@dataclass(frozen=True)
class DemandFilter:
    """The portal's demand filter, from the query string: one status and words of the title."""

    status: str = ""
    text: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> DemandFilter:
        status = query.get("status", "")
        text = " ".join(query.get("q", "").split())[:QUERY_LENGTH]
        return cls(status if status in Demand.Status.values else "", text)

    def __bool__(self) -> bool:
        return bool(self.status or self.text)

    def apply(self, demands):
        if self.status:
            demands = demands.filter(status=self.status)
        for word in self.text.split():
            demands = demands.filter(title__icontains=word)
        return demands


# Statuses in the order of the campaign's work (draft first, outcomes last), not A to Z.
STATUS_ORDER = Case(
    *[When(status=status, then=Value(n)) for n, status in enumerate(Demand.Status.values)],
    output_field=IntegerField(),
)


@dataclass
class StatusCount:
    status: str
    count: int
    rows: list[Demand] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Demand.Status(self.status).label)


def shared_demands(user, organisation_ids):
    """The demands the person's organisations co-author or review, once each, with whether
    one of their organisations co-authors it."""
    coauthored = Demand.coauthors.through.objects.filter(
        demand=OuterRef("pk"), organisation__in=organisation_ids
    )
    return Demand.objects.filter(pk__in=Demand.objects.visible_to(user).values("pk")).annotate(
        coauthored_by_us=Exists(coauthored)
    )


@login_required
@require_GET
def portal(request):
    roles = roles_for(request.user)
    if not roles.is_partner:
        raise PermissionDenied
    organisation_ids = roles.organisation_ids
    organisations = Organisation.objects.filter(pk__in=organisation_ids).select_related("local")
    demands = shared_demands(request.user, organisation_ids)
    counts = dict(
        demands.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [StatusCount(s, counts[s]) for s in Demand.Status.values if counts.get(s)]
    demand_filter = DemandFilter.from_query(request.GET)
    page = Paginator(
        demand_filter.apply(demands)
        .select_related("campaign")
        .order_by(STATUS_ORDER, "title", "pk"),
        DEMANDS_PAGE,
    ).get_page(request.GET.get("page"))
    # A page's demands come in status order, so each status is one run of rows.
    groups = []
    for demand in page.object_list:
        if not groups or groups[-1].status != demand.status:
            groups.append(StatusCount(demand.status, counts.get(demand.status, 0)))
        groups[-1].rows.append(demand)
    invited_actions = (
        Action.objects.filter(invited_organisations__in=organisation_ids)
        .exclude(status=Action.Status.CANCELLED)
        .upcoming()
        .distinct()[:LATEST]
    )
    return render(
        request,
        "partners/portal.html",
        {
            "organisations": organisations,
            "by_status": by_status,
            "shared_total": sum(counts.values()),
            "demand_filter": demand_filter,
            "statuses": Demand.Status.choices,
            "page": page,
            "groups": groups,
            "sessions": ListeningSession.objects.visible_to(request.user).select_related(
                "organisation"
            )[:LATEST],
            "support": Support.objects.visible_to(request.user).select_related("organisation")[
                :LATEST
            ],
            "invited_actions": invited_actions,
        },
    )
