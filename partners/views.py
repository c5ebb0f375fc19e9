from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for
from campaigns.models import Campaign, Local
from campaigns.versioning import save_or_merge
from campaigns.zones import shows

from .forms import (
    ContactForm,
    FindingForm,
    ListeningSessionForm,
    OrganisationForm,
    SupportForm,
)
from .mapping import member_mapping
from .models import Contact, Finding, ListeningSession, Organisation, Support


def _organisation(request, pk) -> Organisation:
    return get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("local"), pk=pk
    )


def _may_record_for(user, organisation: Organisation) -> bool:
    """Leaders of the local and the organisation's own people record its sessions and support."""
    roles = roles_for(user)
    return roles.leads(organisation.local_id) or organisation.pk in roles.organisation_ids


# Organisations ---------------------------------------------------------------------------


@login_required
@require_GET
def organisation_list(request):
    roles = roles_for(request.user)
    if not roles.is_leader and roles.is_partner:
        return redirect("partners:portal")
    organisations = (
        Organisation.objects.visible_to(request.user)
        .select_related("local")
        .annotate(
            session_count=Count("listening_sessions", distinct=True),
            support_count=Count("support", distinct=True),
        )
        .order_by("name", "pk")
    )
    stage = request.GET.get("stage", "")
    if stage in Organisation.Stage.values:
        organisations = organisations.filter(stage=stage)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/organisation_list.html",
        {
            "page": page,
            "organisations": page.object_list,
            "stage": stage,
            "stages": Organisation.Stage.choices,
            "is_leader": roles.is_leader,
        },
    )


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    locals_led = Local.objects.led_by(request.user)
    local = get_object_or_404(locals_led, pk=request.GET.get("local") or locals_led[0].pk)
    form = OrganisationForm(request.POST or None, local=local)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        organisation.local = local
        organisation.save()
        form.save_m2m()
        messages.success(request, _("%(name)s added.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "partners/organisation_form.html", {"form": form, "local": local})


@shows(Organisation)
@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = _organisation(request, pk)
    if not organisation.can_edit(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation, local=organisation.local)
    context = {"organisation": organisation, "local": organisation.local}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, organisation, template="partners/organisation_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Saved."))
        return redirect(organisation)
    return render(request, "partners/organisation_form.html", {**context, "form": form})


@shows(Organisation)
@login_required
@require_GET
def organisation_detail(request, pk):
    organisation = _organisation(request, pk)
    is_leader = organisation.can_edit(request.user)
    context = {
        "organisation": organisation,
        "is_leader": is_leader,
        "can_record": _may_record_for(request.user, organisation),
        "people": organisation.people.select_related("user"),
        "contacts": organisation.contacts.all(),
        # Community mapping names union members: leaders only, never partner people.
        "known_by": organisation.known_by.select_related("building") if is_leader else None,
        "sessions": organisation.listening_sessions.annotate(finding_count=Count("findings")),
        "support": organisation.support.select_related("campaign"),
        # Whoever may see the organisation may see the demands it co-authors or reviews.
        "demands": organisation.demands_with(),
        "contact_form": ContactForm() if is_leader else None,
    }
    return render(request, "partners/organisation_detail.html", context)


@shows(Organisation)
@login_required
@require_POST
def contact_create(request, pk):
    organisation = _organisation(request, pk)
    if not organisation.can_edit(request.user):
        raise PermissionDenied
    form = ContactForm(request.POST)
    if form.is_valid():
        contact = form.save(commit=False)
        contact.organisation = organisation
        contact.save()
        messages.success(request, _("Contact added."))
        return redirect(organisation)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "organisation": organisation},
        status=400,
    )


def _editable_contact(request, pk) -> Contact:
    contact = get_object_or_404(
        Contact.objects.filter(
            organisation__in=Organisation.objects.visible_to(request.user)
        ).select_related("organisation"),
        pk=pk,
    )
    if not contact.organisation.can_edit(request.user):
        raise PermissionDenied
    return contact


@shows(Contact)
@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    """A contact's details, their language among them (the emails to them are in it)."""
    contact = _editable_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact saved."))
        return redirect(contact.organisation)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "organisation": contact.organisation, "contact": contact},
        status=400 if form.errors else 200,
    )


@shows(Contact)
@login_required
@require_POST
def contact_delete(request, pk):
    contact = _editable_contact(request, pk)
    contact.delete()
    messages.success(request, _("Contact removed."))
    return redirect(contact.organisation)


@shows(Organisation)
@login_required
@require_http_methods(["GET", "POST"])
def organisation_mapping(request, pk):
    """Community mapping: which union members know this organisation. Leaders only."""
    organisation = _organisation(request, pk)
    if not organisation.can_edit(request.user):
        raise PermissionDenied
    return member_mapping(
        request,
        subject=organisation,
        relation=organisation.known_by,
        local_id=organisation.local_id,
        url_name="partners:mapping",
        added=_("%(name)s knows them."),
    )


# Listening sessions -------------------------------------------------------------------


@shows(Organisation)
@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    organisation = _organisation(request, pk)
    if not _may_record_for(request.user, organisation):
        raise PermissionDenied
    form = ListeningSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.organisation = organisation
        session.created_by = request.user
        session.save()
        messages.success(request, _("Session recorded. Add what people named."))
        return redirect(session)
    return render(
        request, "partners/session_form.html", {"form": form, "organisation": organisation}
    )


def _session(request, pk) -> ListeningSession:
    return get_object_or_404(
        ListeningSession.objects.visible_to(request.user).select_related("organisation__local"),
        pk=pk,
    )


@shows(ListeningSession)
@login_required
@require_GET
def session_detail(request, pk):
    session = _session(request, pk)
    findings = session.findings.prefetch_related(
        Prefetch("demands", queryset=Finding.demands_visible_to(request.user))
    )
    return render(
        request,
        "partners/session_detail.html",
        {
            "session": session,
            "findings": findings,
            "can_edit": session.can_edit(request.user),
            "finding_form": FindingForm(),
            "campaigns": list(Campaign.objects.filter(local=session.organisation.local)),
        },
    )


@shows(ListeningSession)
@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session(request, pk)
    if not session.can_edit(request.user):
        raise PermissionDenied
    form = ListeningSessionForm(request.POST or None, instance=session)
    context = {"organisation": session.organisation, "session": session}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, session, template="partners/session_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Saved."))
        return redirect(session)
    return render(request, "partners/session_form.html", {**context, "form": form})


@shows(ListeningSession)
@login_required
@require_POST
def finding_create(request, pk):
    session = _session(request, pk)
    if not session.can_edit(request.user):
        raise PermissionDenied
    form = FindingForm(request.POST)
    if form.is_valid():
        finding = form.save(commit=False)
        finding.session = session
        finding.save()
        messages.success(request, _("Finding added."))
    else:
        messages.error(request, _("Write what people said before adding it."))
    return redirect(f"{session.get_absolute_url()}#findings")


# Support --------------------------------------------------------------------------------


@shows(Organisation)
@login_required
@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    organisation = _organisation(request, pk)
    if not _may_record_for(request.user, organisation):
        raise PermissionDenied
    form = SupportForm(request.POST or None, request.FILES or None, local=organisation.local)
    if request.method == "POST" and form.is_valid():
        support = form.save(commit=False)
        support.organisation = organisation
        support.created_by = request.user
        support.save()
        messages.success(request, _("%(title)s recorded.") % {"title": support.title})
        return redirect(organisation)
    return render(
        request, "partners/support_form.html", {"form": form, "organisation": organisation}
    )


@shows(Support)
@login_required
@require_GET
def support_document(request, pk):
    """Serve an uploaded document only to people who may see that organisation's support."""
    support = get_object_or_404(Support.objects.visible_to(request.user), pk=pk)
    if not support.document:
        raise Http404
    content_type = support.content_type or "application/octet-stream"
    extension = mimetypes.guess_extension(content_type) or ""
    response = FileResponse(
        support.document.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=f"support-{support.pk}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
