"""The demands' own pages: the list, a new demand, its page, its editing and its history."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for
from campaigns.zones import shows
from partners.models import Finding, ListeningSession, Organisation

from ..diff import compare
from ..forms import CommentForm, DemandForm, FromFindingForm, NewDemandForm
from ..models import (
    REVISION_FIELDS,
    DecisionAnswer,
    DecisionRequest,
    Demand,
    DemandEndorsement,
    DemandRevision,
    EditConflict,
)

HISTORY_PAGE_SIZE = 50
COALITION_LIST_SIZE = 10


def coalition_context(demand: Demand, user, *, can_manage: bool) -> dict:
    """The decision requests and amendments the demand page lists: a fixed number of queries
    however many there are."""
    decisions = list(
        DecisionRequest.objects.visible_to(user)
        .filter(demand=demand)
        .select_related("asked_by")
        .prefetch_related(
            "organisations",
            Prefetch(
                "answers", queryset=DecisionAnswer.objects.select_related("organisation", "by")
            ),
        )[:COALITION_LIST_SIZE]
    )
    amendments = list(
        demand.amendments.select_related("organisation", "proposed_by", "decided_by")[
            :COALITION_LIST_SIZE
        ]
    )
    for amendment in amendments:
        amendment.demand = demand  # is_outdated compares with the demand's version
    return {
        "decisions": decisions,
        "amendments": amendments,
        "merged_from": list(demand.merged_demands.only("pk", "title").order_by("title")),
        "can_propose": bool(demand.proposing_organisation_ids(user)),
        "can_merge": can_manage and demand.merged_into_id is None,
        # One open request at a time: a leader closes or cancels it before asking again.
        "can_ask": can_manage and not any(d.status == d.Status.OPEN for d in decisions),
    }


def _visible_demand(request, pk, *related) -> Demand:
    return get_object_or_404(
        Demand.objects.visible_to(request.user).select_related("campaign__local", *related), pk=pk
    )


def _field_labels() -> dict[str, str]:
    return {name: str(Demand._meta.get_field(name).verbose_name) for name in REVISION_FIELDS}


# Demands -------------------------------------------------------------------------------


@login_required
@require_GET
def demand_list(request):
    roles = roles_for(request.user)
    demands = (
        Demand.objects.visible_to(request.user)
        .select_related("campaign__local")
        .prefetch_related("coauthors")
        .annotate(comment_count=Count("comments", distinct=True))
        .order_by("priority", "title", "pk")
    )
    status = request.GET.get("status", "")
    if status in Demand.Status.values:
        demands = demands.filter(status=status)
    category = request.GET.get("category", "")
    if category in Demand.Category.values:
        demands = demands.filter(category=category)
    page = Paginator(demands, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "demands/demand_list.html",
        {
            "page": page,
            "status": status,
            "category": category,
            "statuses": Demand.Status.choices,
            "categories": Demand.Category.choices,
            "is_leader": roles.is_leader,
            "can_see_map": roles.is_leader or roles.is_steward,
        },
    )


@shows(Finding)
@login_required
@require_POST
def demand_from_finding(request, pk):
    """A finding of a listening session becomes a draft demand: the demands side does it,
    so partners never needs to know about demands."""
    finding = get_object_or_404(
        Finding.objects.filter(
            session__in=ListeningSession.objects.visible_to(request.user)
        ).select_related("session__organisation__local"),
        pk=pk,
    )
    if not finding.session.can_edit(request.user):
        raise PermissionDenied
    existing = Demand.objects.visible_to(request.user).filter(source_finding=finding).first()
    if existing is not None:
        messages.info(request, _("This finding already became a demand."))
        return redirect(existing)
    form = FromFindingForm(request.POST, local=finding.session.organisation.local)
    if not form.is_valid():
        messages.error(request, _("Choose the campaign for the new demand."))
        return redirect(finding.session)
    demand = Demand.from_finding(finding, campaign=form.cleaned_data["campaign"], by=request.user)
    messages.success(
        request, _("Draft demand started from this finding. Write it up with your partners.")
    )
    return redirect("demands:edit", pk=demand.pk)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def demand_create(request):
    form = NewDemandForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demand = Demand.start(
            campaign=data["campaign"],
            title=data["title"],
            by=request.user,
            summary=data["summary"],
            problem=data["problem"],
            solution=data["solution"],
            category=data["category"],
            priority=data["priority"],
        )
        messages.success(request, _("Demand started. Add its assessment and co-authors."))
        return redirect("demands:edit", pk=demand.pk)
    return render(request, "demands/demand_create.html", {"form": form})


@shows(Demand)
@login_required
@require_GET
def demand_detail(request, pk):
    demand = get_object_or_404(
        Demand.objects.visible_to(request.user)
        .select_related(
            "campaign__local", "source_finding__session__organisation", "published_revision"
        )
        .prefetch_related(
            "coauthors",
            "shared_with",
            "decision_makers",
            Prefetch(
                "endorsements", queryset=DemandEndorsement.objects.select_related("organisation")
            ),
        ),
        pk=pk,
    )
    if demand.merged_into_id:
        messages.info(request, _("This demand was merged into another; its history stays."))
        return redirect(demand.merged_into)
    roles = roles_for(request.user)
    coauthors = list(demand.coauthors.all())
    shared_with = list(demand.shared_with.all())
    endorsements = list(demand.endorsements.all())
    endorsed_ids = {e.organisation_id for e in endorsements}
    can_manage = roles.leads(demand.campaign.local_id)
    mine = {o.pk: o for o in coauthors + shared_with if o.pk in roles.organisation_ids}
    context = {
        "demand": demand,
        "coauthors": coauthors,
        "shared_with": shared_with,
        "decision_makers": list(demand.decision_makers.all()),
        "endorsements": endorsements,
        "can_edit": can_manage or any(o.pk in roles.organisation_ids for o in coauthors),
        "can_manage": can_manage,
        "can_see_map": roles.is_leader or roles.is_steward,
        "can_endorse": [o for o in mine.values() if o.pk not in endorsed_ids],
        "endorsed_mine": [o for o in mine.values() if o.pk in endorsed_ids],
        # Only the choice's value and label: a local has hundreds of organisations.
        "endorsable": Organisation.objects.filter(local_id=demand.campaign.local_id)
        .exclude(pk__in=endorsed_ids)
        .values("pk", "name")
        if can_manage
        else [],
        "transitions": demand.transitions.select_related("by")[:20],
        "allowed": demand.allowed_transitions(),
        "adoption_blockers": demand.adoption_blockers()
        if can_manage and demand.status == Demand.Status.REVIEW
        else [],
        "comments": demand.comments.select_related("author"),
        "comment_form": CommentForm() if demand.can_comment(request.user) else None,
        **coalition_context(demand, request.user, can_manage=can_manage),
    }
    return render(request, "demands/demand_detail.html", context)


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def demand_edit(request, pk):
    demand = _visible_demand(request, pk)
    if not demand.can_edit(request.user):
        raise PermissionDenied
    leader = demand.can_manage(request.user)
    form = DemandForm(
        request.POST or None, instance=demand, campaign=demand.campaign, leader=leader
    )
    if request.method == "POST" and form.is_valid():
        # edit() checks the version; the leader's settings are written in the same
        # transaction, so a stale save stores none of them.
        try:
            with transaction.atomic():
                demand.edit(
                    changes=form.text_changes(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
                if leader:
                    demand.update_settings(
                        category=form.cleaned_data["category"],
                        priority=form.cleaned_data["priority"],
                    )
                    demand.coauthors.set(form.cleaned_data["coauthors"])
                    demand.shared_with.set(form.cleaned_data["shared_with"])
                    demand.decision_makers.set(form.cleaned_data["decision_makers"])
        except EditConflict as conflict:
            return _conflict(request, demand, form, conflict.current, leader)
        if demand.public_is_behind:
            messages.success(
                request,
                _(
                    "Saved as version %(n)s. The public page still shows the published text "
                    "until a leader publishes this change."
                )
                % {"n": demand.version},
            )
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": demand.version})
        return redirect(demand)
    return render(request, "demands/demand_edit.html", {"demand": demand, "form": form})


def _conflict(request, demand, form, current: Demand, leader: bool):
    """Refuse a stale save without losing a word: a three-way merge per field against the
    version the editor started from. Fields only the other person changed take their text,
    fields only this person changed keep theirs, and fields both changed keep this person's
    text in the form with the other version shown beside it to merge by hand."""
    yours = form.text_changes()
    theirs = current.snapshot()
    started = form.cleaned_data["version"]
    base_revision = DemandRevision.objects.filter(demand=current, number=started).first()
    base = base_revision.snapshot if base_revision else {}
    merged, both_changed, taken = {}, [], []
    for name in REVISION_FIELDS:
        mine, other, original = yours[name], theirs[name], base.get(name)
        if mine in (other, original):
            merged[name] = other
            if mine != other:
                taken.append(name)
        else:
            merged[name] = mine
            if other != original:
                both_changed.append(name)
    data = request.POST.copy()
    for name, value in merged.items():
        data[name] = value
    data["version"] = str(current.version)
    merge_form = DemandForm(data, instance=current, campaign=demand.campaign, leader=leader)
    merge_form.is_valid()
    labels = _field_labels()
    diffs = compare(theirs, yours, {name: labels[name] for name in both_changed})
    last = current.revisions.select_related("by").first()
    return render(
        request,
        "demands/demand_conflict.html",
        {
            "demand": current,
            "form": merge_form,
            "diffs": diffs,
            "taken": [labels[name] for name in taken],
            "last_revision": last,
        },
        status=409,
    )


@shows(Demand)
@login_required
@require_GET
def demand_history(request, pk):
    demand = _visible_demand(request, pk)
    revisions = demand.revisions.select_related("by").defer("snapshot")
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    numbers = _revision_pair(request, demand)
    diffs = left = right = None
    unchanged: list[str] = []
    if numbers:
        pair = {
            r.number: r
            for r in DemandRevision.objects.filter(
                demand=demand, number__in=numbers
            ).select_related("by")
        }
        if len(pair) == len(set(numbers)):
            left, right = pair[numbers[0]], pair[numbers[1]]
            rows = _revision_diff(demand, left, right)
            diffs = [row for row in rows if row.changed]
            unchanged = [row.label for row in rows if not row.changed]
    return render(
        request,
        "demands/demand_history.html",
        {
            "demand": demand,
            "page": page,
            "diffs": diffs,
            "unchanged": unchanged,
            "left": left,
            "right": right,
        },
    )


def _revision_diff(demand, left, right) -> list:
    """Revisions never change, so the comparison of two of them is cached for a day."""
    key = f"demands:diff:folded:{left.pk}:{right.pk}"
    labels = _field_labels()
    rows = cache.get(key)
    if rows is None:
        # Folded: two long versions with a few changes read as those changes, not as pages
        # of the same text twice (152 KB of HTML for the bench's long demand, unfolded).
        rows = compare(left.snapshot, right.snapshot, {name: name for name in labels}, fold=True)
        cache.set(key, rows, 60 * 60 * 24)
    # Labels are added after the cache, in the reader's language.
    return [replace(row, label=labels[row.name]) for row in rows]


def _revision_pair(request, demand) -> tuple[int, int] | None:
    try:
        a = int(request.GET.get("a", 0))
        b = int(request.GET.get("b", 0))
    except ValueError:
        raise Http404 from None
    if not a or not b:
        if demand.version < 2:
            return None
        a, b = demand.version - 1, demand.version
    return (min(a, b), max(a, b)) if a != b else (a, b)
