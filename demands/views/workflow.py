"""What leaders and partners do to a demand: move it, comment, endorse and publish it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.content import field_key, language_label
from campaigns.zones import shows
from partners.models import Organisation

from ..diff import compare
from ..forms import CommentForm, TransitionForm
from ..models import PUBLIC_FIELDS, Demand, DemandEndorsement, TransitionError
from .demands import _visible_demand


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
    # Each language's texts are compared too: a translation goes public by the same publish.
    for language in demand.campaign.local.translation_languages:
        for name in PUBLIC_FIELDS:
            labels[field_key(name, language)] = f"{labels[name]} ({language_label(language)})"
    current = {name: getattr(demand, name) for name in PUBLIC_FIELDS} | (demand.i18n or {})
    public = demand.public_snapshot()
    public = {name: public[name] for name in PUBLIC_FIELDS} | public["i18n"]
    return render(
        request,
        "demands/demand_publish.html",
        {
            "demand": demand,
            "diffs": compare(public, current, labels) if demand.public_is_behind else None,
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
