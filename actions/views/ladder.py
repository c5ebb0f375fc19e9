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
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.versioning import save_or_merge
from campaigns.zones import shows

from .. import ladder as ladder_module
from ..forms import LadderFilterForm, TacticForm
from ..models import Tactic
from .scoping import campaign_for_leader

ROWS_PER_PAGE = 50


@login_required
@require_GET
def ladder(request, slug):
    campaign = campaign_for_leader(request, slug)
    tactics = list(Tactic.objects.filter(campaign=campaign))
    form = LadderFilterForm(request.GET, tactics=tactics)
    window = form.window(timezone.localdate())

    def link(first, last, level):
        return request.path + ladder_module.query_for(first, last, level) + "#ladder-table"

    built = ladder_module.build(campaign, window, tactics=tactics, link=link)
    page = Paginator(built.chosen, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    spans = [
        (key, label, request.path + "?" + urlencode({"when": key, **_level(window)}))
        for key, label in LadderFilterForm.SPANS.items()
    ]
    return render(
        request,
        "actions/ladder.html",
        {
            "campaign": campaign,
            "ladder": built,
            "form": form,
            "span": form.span(),
            "spans": spans,
            "window": window,
            "page": page,
            "rows": ladder_module.rows_for(page.object_list),
        },
    )


def _level(window) -> dict:
    return {} if window.level is None else {"level": window.level}


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
