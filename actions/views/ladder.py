"""The ladder view and the editing of the ladder's tactics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.versioning import save_or_merge
from campaigns.zones import shows

from .. import ladder as ladder_module
from ..forms import TacticForm
from ..models import Tactic
from .scoping import campaign_for_leader

ROWS_PER_PAGE = 50


@login_required
@require_GET
def ladder(request, slug):
    campaign = campaign_for_leader(request, slug)
    ladder = ladder_module.build(campaign)
    # The chart shows every action; the table a page at a time, opening on the page with the
    # next action so that what is coming is what a leader sees first.
    paginator = Paginator(ladder.rows, ROWS_PER_PAGE)
    number = request.GET.get("page")
    if number is None:
        now = timezone.now()
        upcoming = next(
            (i for i, row in enumerate(ladder.rows) if row.action.starts_at >= now),
            len(ladder.rows) - 1,
        )
        number = max(upcoming, 0) // ROWS_PER_PAGE + 1
    return render(
        request,
        "actions/ladder.html",
        {"campaign": campaign, "ladder": ladder, "page": paginator.get_page(number)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tactics(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = TacticForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if request.POST.get("start") == "toolkit":
            Tactic.start_ladder(campaign)
            messages.success(request, _("The toolkit's ladder is ready to edit."))
            return redirect("actions:tactics", slug=campaign.slug)
        if form.is_valid():
            Tactic.append(campaign, form.cleaned_data["name"], form.cleaned_data["description"])
            messages.success(request, _("Tactic added at the top of the ladder."))
            return redirect("actions:tactics", slug=campaign.slug)
    rungs = Tactic.objects.filter(campaign=campaign).annotate(action_count=Count("actions"))
    return render(
        request, "actions/tactics.html", {"campaign": campaign, "form": form, "tactics": rungs}
    )


def _tactic_for_leader(request, pk) -> Tactic:
    tactic = get_object_or_404(
        Tactic.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not roles_for(request.user).leads(tactic.campaign.local_id):
        raise PermissionDenied
    return tactic


@shows(Tactic)
@login_required
@require_http_methods(["GET", "POST"])
def tactic_edit(request, pk):
    tactic = _tactic_for_leader(request, pk)
    form = TacticForm(request.POST or None, instance=tactic, campaign=tactic.campaign)
    if request.method == "POST" and form.is_valid():
        if merge := save_or_merge(
            request, form, tactic, template="actions/tactic_form.html", context={"tactic": tactic}
        ):
            return merge
        messages.success(request, _("Tactic saved."))
        return redirect("actions:tactics", slug=tactic.campaign.slug)
    return render(request, "actions/tactic_form.html", {"form": form, "tactic": tactic})


@shows(Tactic)
@login_required
@require_POST
def tactic_move(request, pk):
    tactic = _tactic_for_leader(request, pk)
    up = request.POST.get("direction") == "up"
    if tactic.move(up=up):
        messages.success(
            request,
            _("%(name)s moved to position %(position)s.")
            % {"name": tactic.name, "position": tactic.position},
        )
    return redirect(reverse("actions:tactics", args=[tactic.campaign.slug]) + f"#tactic-{pk}")


@shows(Tactic)
@login_required
@require_POST
def tactic_delete(request, pk):
    tactic = _tactic_for_leader(request, pk)
    if tactic.remove():
        messages.success(request, _("Tactic removed from the ladder."))
    else:
        messages.error(request, _("Actions use this tactic; change them first."))
    return redirect("actions:tactics", slug=tactic.campaign.slug)
