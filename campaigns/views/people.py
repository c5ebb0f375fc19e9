"""The team pages: a local's people with a role, invitations to join it, and the leaders'
two-factor policy. They sit beside ``Local`` because each one is a local's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required
from accounts.models import Invitation, Membership
from config.enqueue import take_waiting

from ..forms.people import InvitationForm, PeopleFilterForm
from ..invitations import plan_invitation_email
from ..models import Local
from ..zones import shows

PEOPLE_PER_PAGE = 25
INVITATIONS_ON_PEOPLE_PAGE = 10
INVITATIONS_PER_PAGE = 50


def _pending_invitations(local):
    return (
        Invitation.objects.filter(local=local, accepted_at__isnull=True, revoked_at__isnull=True)
        .with_email_status()
        .select_related("organisation")
        .prefetch_related("buildings")
        .order_by("-created_at", "-pk")
    )


@shows(Local, by="slug")
@login_required
@leader_required
@require_GET
def team(request, slug):
    """The local's people with a role, searched and filtered, a page at a time, and the
    latest pending invitations (all of them, paged, on their own page)."""
    local = get_object_or_404(Local.objects.led_by(request.user), slug=slug)
    form = PeopleFilterForm(request.GET, local=local)
    memberships = form.filter(
        Membership.objects.filter(local=local)
        .select_related("user", "organisation")
        .prefetch_related("buildings")
        .order_by("role", "user__last_name", "user__first_name", "user__email", "pk")
    )
    page = Paginator(memberships, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    invitations = _pending_invitations(local)
    pending_count = invitations.count()
    return render(
        request,
        "campaigns/team/people.html",
        {
            "local": local,
            "form": form,
            "page": page,
            "invitations": invitations[:INVITATIONS_ON_PEOPLE_PAGE] if pending_count else [],
            "pending_count": pending_count,
            "more_invitations": pending_count > INVITATIONS_ON_PEOPLE_PAGE,
        },
    )


@shows(Local, by="slug")
@login_required
@leader_required
@require_GET
def invitations(request, slug):
    local = get_object_or_404(Local.objects.led_by(request.user), slug=slug)
    page = Paginator(_pending_invitations(local), INVITATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "campaigns/team/invitations.html", {"local": local, "page": page})


@shows(Local, by="slug")
@login_required
@leader_required
@require_POST
def two_factor_policy(request, slug):
    local = get_object_or_404(Local.objects.led_by(request.user), slug=slug)
    local.require_leader_mfa = request.POST.get("require") == "on"
    local.save(update_fields=["require_leader_mfa"])
    if local.require_leader_mfa:
        messages.success(request, _("Leaders of this local now need two-factor sign-in."))
    else:
        messages.success(request, _("Two-factor sign-in is now optional for leaders."))
    return redirect("team:people", slug=local.slug)


@shows(Local, by="slug")
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    local = get_object_or_404(Local.objects.led_by(request.user), slug=slug)
    form = InvitationForm(request.POST or None, local=local)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            invitation, _token = Invitation.issue(
                local=local,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                buildings=form.cleaned_data["buildings"],
                invited_by=request.user,
                language=form.cleaned_data["language"],
            )
            plan_invitation_email(invitation)
        if take_waiting():
            messages.warning(
                request,
                _(
                    "The invitation to %(email)s is saved. The email will go out when the mail "
                    "service is back."
                )
                % {"email": invitation.email},
            )
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
        return redirect("team:people", slug=local.slug)
    return render(request, "campaigns/team/invite.html", {"local": local, "form": form})


@shows(Invitation)
@login_required
@leader_required
@require_POST
def resend_invitation(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).pending(), pk=pk)
    with transaction.atomic():
        new, _token = Invitation.issue(
            local=invitation.local,
            email=invitation.email,
            role=invitation.role,
            organisation=invitation.organisation,
            buildings=invitation.buildings.all(),
            invited_by=request.user,
            language=invitation.language,
        )
        invitation.revoke()
        plan_invitation_email(new)
    if take_waiting():
        messages.warning(
            request,
            _(
                "A new invitation to %(email)s is saved and the old link no longer works. The "
                "email will go out when the mail service is back."
            )
            % {"email": new.email},
        )
    else:
        messages.success(
            request,
            _("A new invitation went to %(email)s; the old link no longer works.")
            % {"email": new.email},
        )
    return redirect("team:people", slug=invitation.local.slug)


@shows(Invitation)
@login_required
@leader_required
@require_POST
def revoke_invitation(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).pending(), pk=pk)
    invitation.revoke()
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("team:people", slug=invitation.local.slug)


@shows(Membership)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def remove_membership(request, pk):
    """Removing someone's role asks first: the People page links here, and only the form on
    this page removes."""
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user)
        .select_related("local", "user", "organisation")
        .prefetch_related("buildings"),
        pk=pk,
    )
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot remove your own role."))
        return redirect("team:people", slug=membership.local.slug)
    if request.method == "GET":
        return render(request, "campaigns/team/remove_membership.html", {"membership": membership})
    membership.remove()
    messages.success(
        request,
        _("%(person)s no longer has a role in %(local)s.")
        % {"person": membership.user, "local": membership.local},
    )
    return redirect("team:people", slug=membership.local.slug)
