"""Who is coming: stewards mark their buildings' members; partners sign up their people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.models import Member
from campaigns.zones import shows

from ..forms import PartnerRsvpForm
from ..models import Action, Participation, Rsvp
from .scoping import partner_organisation, visible_action


def _members_for(request, action: Action):
    members = Member.objects.visible_to(request.user).current().filter(local=action.campaign.local)
    building_ids = list(action.buildings.values_list("pk", flat=True))
    if building_ids:
        members = members.filter(building_id__in=building_ids)
    return members.select_related("building").order_by("building__name", "last_name", "first_name")


def _participation_allowed(request, action: Action) -> None:
    roles = roles_for(request.user)
    local_id = action.campaign.local_id
    if not (roles.leads(local_id) or local_id in roles.stewarded_local_ids):
        raise PermissionDenied
    if action.is_cancelled:
        raise PermissionDenied


@shows(Action)
@login_required
@require_GET
def participation(request, pk):
    action = visible_action(request, pk)
    _participation_allowed(request, action)
    page = Paginator(_members_for(request, action), 100).get_page(request.GET.get("page"))
    records = {
        p.member_id: p
        for p in Participation.objects.filter(action=action, member__in=list(page.object_list))
    }
    rows = [(member, records.get(member.pk)) for member in page.object_list]
    return render(
        request,
        "actions/participation.html",
        {"action": action, "page": page, "rows": rows, "after": action.has_started},
    )


@shows(Action)
@login_required
@require_POST
def participation_mark(request, pk, member_pk):
    action = visible_action(request, pk)
    _participation_allowed(request, action)
    member = get_object_or_404(_members_for(request, action), pk=member_pk)
    field = request.POST.get("field")
    if field not in {"coming", "attended"}:
        return HttpResponse(_("Unknown field."), status=400)
    value = request.POST.get("value") == "1"
    record, _created = Participation.mark(action, member, by=request.user, **{field: value})
    if request.htmx:
        return render(
            request,
            "actions/participation.html#member-row",
            {"action": action, "member": member, "record": record, "announce": True},
        )
    messages.success(request, _("Saved for %(name)s.") % {"name": member.name})
    return redirect(reverse("actions:participation", args=[action.pk]) + f"#member-{member.pk}")


@shows(Action)
@login_required
@require_http_methods(["GET", "POST"])
def partner_rsvp(request, pk):
    action = visible_action(request, pk)
    organisation = partner_organisation(request, action)
    if organisation is None:
        raise PermissionDenied
    form = PartnerRsvpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            added = [
                Rsvp.sign_up(
                    action,
                    source=Rsvp.Source.PARTNER,
                    organisation=organisation,
                    added_by=request.user,
                    **person,
                )[1]
                for person in form.cleaned_data["names"]
            ]
        already = added.count(False)
        if already:
            messages.success(
                request,
                ngettext(
                    "Your people are on the list; %(n)s of them already was.",
                    "Your people are on the list; %(n)s of them already were.",
                    already,
                )
                % {"n": already},
            )
        else:
            messages.success(request, _("Your people are on the list."))
        return redirect("actions:partner_rsvp", pk=action.pk)
    ours = action.rsvps.filter(organisation=organisation)
    return render(
        request,
        "actions/partner_rsvp.html",
        {"action": action, "organisation": organisation, "form": form, "ours": ours},
    )


@shows(Action)
@login_required
@require_POST
def partner_rsvp_remove(request, pk, rsvp_pk):
    action = visible_action(request, pk)
    organisation = partner_organisation(request, action)
    if organisation is None:
        raise PermissionDenied
    rsvp = get_object_or_404(action.rsvps.filter(organisation=organisation), pk=rsvp_pk)
    rsvp.delete()
    messages.success(request, _("%(name)s was taken off the list.") % {"name": rsvp.name})
    return redirect("actions:partner_rsvp", pk=action.pk)
