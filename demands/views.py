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
from campaigns.versioning import save_or_merge
from campaigns.zones import shows
from partners.mapping import member_mapping
from partners.models import Finding, ListeningSession, Organisation

from .diff import compare
from .forms import (
    CommentForm,
    DemandForm,
    FromFindingForm,
    NewDemandForm,
    TargetForm,
    TransitionForm,
)
from .models import (
    PUBLIC_FIELDS,
    REVISION_FIELDS,
    Demand,
    DemandEndorsement,
    DemandRevision,
    EditConflict,
    Target,
    TransitionError,
)
from .powermap import power_map

HISTORY_PAGE_SIZE = 50


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
        .select_related("campaign")
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
        "endorsable": Organisation.objects.filter(local_id=demand.campaign.local_id).exclude(
            pk__in=endorsed_ids
        )
        if can_manage
        else [],
        "transitions": demand.transitions.select_related("by")[:20],
        "allowed": demand.allowed_transitions(),
        "adoption_blockers": demand.adoption_blockers()
        if can_manage and demand.status == Demand.Status.REVIEW
        else [],
        "comments": demand.comments.select_related("author"),
        "comment_form": CommentForm() if demand.can_comment(request.user) else None,
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


@shows(Demand)
@login_required
@require_POST
def demand_transition(request, pk):
    demand = _visible_demand(request, pk)
    if not demand.can_manage(request.user):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        if "to" in form.errors:
            messages.error(request, _("Choose a status to move the demand to."))
        for message in form.errors.get("why", []):
            messages.error(request, message)
        return redirect(demand)
    try:
        demand.move_to(form.cleaned_data["to"], by=request.user, why=form.cleaned_data["why"])
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(demand)
    messages.success(
        request, _("The demand is now “%(status)s”.") % {"status": demand.get_status_display()}
    )
    return redirect(demand)


@shows(Demand)
@login_required
@require_POST
def demand_comment(request, pk):
    demand = _visible_demand(request, pk)
    if not demand.can_comment(request.user):
        raise PermissionDenied
    form = CommentForm(request.POST)
    saved = False
    if form.is_valid():
        comment = form.save(commit=False)
        comment.demand = demand
        comment.author = request.user
        comment.save()
        saved = True
        form = CommentForm()
    if request.htmx:
        return render(
            request,
            "demands/demand_detail.html#comments",
            {
                "demand": demand,
                "comments": demand.comments.select_related("author"),
                "comment_form": form,
                "announce": _("Comment added.") if saved else _("The comment is empty."),
            },
        )
    if saved:
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write something before adding a comment."))
    return redirect(f"{demand.get_absolute_url()}#comments")


def _organisation_for_endorsement(request, demand) -> Organisation:
    """Leaders record any partner's endorsement; a partner person signs on only for their own
    organisation, and only if the demand was shared with it or it co-authors it."""
    roles = roles_for(request.user)
    organisations = Organisation.objects.filter(local_id=demand.campaign.local_id)
    if not roles.leads(demand.campaign.local_id):
        reached = set(demand.coauthors.values_list("pk", flat=True)) | set(
            demand.shared_with.values_list("pk", flat=True)
        )
        organisations = organisations.filter(pk__in=reached & roles.organisation_ids)
    try:
        return organisations.get(pk=int(request.POST.get("organisation", 0)))
    except (ValueError, Organisation.DoesNotExist):
        raise PermissionDenied from None


@shows(Demand)
@login_required
@require_POST
def demand_endorse(request, pk):
    demand = _visible_demand(request, pk)
    organisation = _organisation_for_endorsement(request, demand)
    _endorsement, created = DemandEndorsement.objects.get_or_create(
        demand=demand, organisation=organisation, defaults={"by": request.user}
    )
    if created:
        messages.success(
            request, _("%(org)s signed on to this demand.") % {"org": organisation.name}
        )
    return redirect(demand)


@shows(Demand)
@login_required
@require_POST
def demand_unendorse(request, pk):
    demand = _visible_demand(request, pk)
    organisation = _organisation_for_endorsement(request, demand)
    DemandEndorsement.objects.filter(demand=demand, organisation=organisation).delete()
    messages.success(
        request, _("%(org)s no longer endorses this demand.") % {"org": organisation.name}
    )
    return redirect(demand)


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def demand_publish(request, pk):
    """GET previews what the public page will show, word by word against what it shows now
    when the demand is already published; POST publishes it."""
    demand = _visible_demand(request, pk, "published_revision", "campaign__public_page")
    if not demand.can_manage(request.user):
        raise PermissionDenied
    if request.method == "POST":
        was_published = demand.is_published
        demand.publish(by=request.user)
        if not _public_page_is_on(demand):
            messages.warning(
                request,
                _(
                    "Published, but the campaign's public page is off: nobody outside sees "
                    "this demand until a leader turns the page on."
                ),
            )
        elif was_published:
            messages.success(request, _("Published: the public page now shows this version."))
        else:
            messages.success(request, _("Published: the public page now shows this demand."))
        return redirect(demand)
    labels = {name: str(Demand._meta.get_field(name).verbose_name) for name in PUBLIC_FIELDS}
    current = {name: getattr(demand, name) for name in PUBLIC_FIELDS}
    return render(
        request,
        "demands/demand_publish.html",
        {
            "demand": demand,
            "diffs": compare(demand.public_snapshot(), current, labels)
            if demand.public_is_behind
            else None,
            "page_is_on": _public_page_is_on(demand),
        },
    )


def _public_page_is_on(demand: Demand) -> bool:
    page = getattr(demand.campaign, "public_page", None)
    return bool(page and page.is_on)


@shows(Demand)
@login_required
@require_POST
def demand_unpublish(request, pk):
    demand = _visible_demand(request, pk)
    if not demand.can_manage(request.user):
        raise PermissionDenied
    demand.unpublish(by=request.user)
    messages.success(request, _("Unpublished: the public page no longer shows this demand."))
    return redirect(demand)


# The power map --------------------------------------------------------------------------


@login_required
@require_GET
def target_list(request):
    roles = roles_for(request.user)
    if not (roles.is_leader or roles.is_steward):
        # The power map is the union's research; partners see targets only on their demands.
        raise PermissionDenied
    targets = list(
        Target.objects.visible_to(request.user)
        .select_related("campaign")
        .prefetch_related("organisations", "influences")
    )
    return render(
        request,
        "demands/target_list.html",
        {
            "targets": targets,
            "map": power_map(targets),
            "is_leader": roles_for(request.user).is_leader,
        },
    )


@shows(Target)
@login_required
@require_GET
def target_detail(request, pk):
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    can_edit = target.can_edit(request.user)
    return render(
        request,
        "demands/target_detail.html",
        {
            "target": target,
            "can_edit": can_edit,
            "influences": target.influences.all(),
            "influenced_by": target.influenced_by.all(),
            "organisations": target.organisations.all(),
            # Member names are for leaders only, never for stewards of other buildings.
            "members": target.members.all() if can_edit else None,
            "demands": Demand.objects.visible_to(request.user).filter(decision_makers=target),
        },
    )


@shows(Target)
@login_required
@require_http_methods(["GET", "POST"])
def target_mapping(request, pk):
    """Which union members have a relationship with this target. Leaders only."""
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not target.can_edit(request.user):
        raise PermissionDenied
    return member_mapping(
        request,
        subject=target,
        relation=target.members,
        local_id=target.campaign.local_id,
        url_name="demands:target_mapping",
        added=_("%(name)s has a relationship."),
    )


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def target_create(request):
    form = TargetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.save()
        messages.success(request, _("%(name)s is on the power map.") % {"name": target.name})
        return redirect(target)
    return render(request, "demands/target_form.html", {"form": form, "target": None})


@shows(Target)
@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not target.can_edit(request.user):
        raise PermissionDenied
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    context = {"target": target}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, target, template="demands/target_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Saved."))
        return redirect(target)
    return render(request, "demands/target_form.html", {**context, "form": form})
