"""The power map's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import leader_required, roles_for
from campaigns.versioning import save_or_merge
from campaigns.zones import shows
from partners.mapping import member_mapping

from ..forms import TargetForm
from ..models import Demand, Target
from ..powermap import power_map


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
