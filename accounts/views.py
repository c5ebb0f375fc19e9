from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .access import forget_roles
from .forms import AcceptInvitationForm, AccountForm
from .models import Invitation, User


@require_http_methods(["GET", "POST"])
@never_cache
def accept_invitation(request, token):
    invitation = (
        Invitation.objects.with_token(token)
        .select_related("local", "organisation", "invited_by")
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return render(
            request, "accounts/invitation_unusable.html", {"invitation": invitation}, status=410
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        return _accept_as_existing_user(request, invitation, existing)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if not locked.is_usable or User.objects.filter(email__iexact=locked.email).exists():
                return render(request, "accounts/invitation_unusable.html", status=410)
            user = User.objects.create_user(
                email=locked.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=locked.language,
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            locked.accept(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(local)s.") % {"local": invitation.local})
        return redirect("home")
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )


def _accept_as_existing_user(request, invitation, existing):
    """Someone who already has an account joins by confirming while signed in as themselves."""
    if not request.user.is_authenticated or request.user.pk != existing.pk:
        return render(
            request,
            "accounts/accept_invitation.html",
            {"invitation": invitation, "needs_sign_in": True},
        )
    if request.method == "POST":
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if not locked.is_usable:
                return render(request, "accounts/invitation_unusable.html", status=410)
            locked.accept(request.user)
        forget_roles(request.user)
        messages.success(request, _("You joined %(local)s.") % {"local": invitation.local})
        return redirect("home")
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "confirm": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The signed-in person's own account: their name and their language."""
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.interface_language)
        messages.success(request, _("Your account is saved."))
        response = redirect("accounts:account")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.interface_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/account.html", {"form": form})


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in person it also changes their account's
    language, which their pages and emails follow."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.choose_language(language)
    return response


def csrf_failure(request, reason: str = ""):
    """A form refused for its security token (an expired page, a blocked cookie): the site's
    page with a way back, never the technical reason."""
    return render(request, "403_csrf.html", status=403)
