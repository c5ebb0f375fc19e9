"""The app's pages for the API: each person's tokens, and a leader's webhooks with their
delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.models import Local

from ..forms import TokenForm, WebhookForm
from ..models import Token, Webhook


def _tokens_page(request, form: TokenForm, secret: str | None = None):
    page = Paginator(Token.objects.filter(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "api/tokens.html", {"form": form, "page": page, "secret": secret})


@login_required
@require_GET
def tokens(request):
    """A person's own tokens and the form for a new one."""
    return _tokens_page(request, TokenForm())


@login_required
@require_POST
def new_token(request):
    """The new token is shown once, on the page this answers with; never again."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form)
    _token, secret = Token.issue(
        request.user,
        name=form.cleaned_data["name"],
        read_only=form.cleaned_data["read_only"],
        days=form.cleaned_data["days"],
    )
    return _tokens_page(request, TokenForm(), secret)


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(Token.objects.filter(user=request.user), pk=pk)
    token.revoke()
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request, slug):
    local = get_object_or_404(Local.objects.visible_to(request.user), slug=slug)
    if not roles_for(request.user).leads(local.pk):
        raise PermissionDenied
    form = WebhookForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _hook, secret = Webhook.register(
            local=local,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            by=request.user,
        )
        form = WebhookForm()
    hooks = Webhook.objects.filter(local=local, removed_at__isnull=True)
    page = Paginator(hooks, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "api/webhooks.html",
        {"local": local, "form": form, "page": page, "secret": secret},
    )


def _editable_webhook(request, pk) -> Webhook:
    """Another local's webhook is not found; the local's stewards and partners may not."""
    hooks = Webhook.objects.filter(
        removed_at__isnull=True, local__in=Local.objects.visible_to(request.user)
    )
    hook = get_object_or_404(hooks.select_related("local"), pk=pk)
    if not hook.can_edit(request.user):
        raise PermissionDenied
    return hook


@login_required
@require_http_methods(["GET"])
def webhook(request, pk):
    """A webhook's delivery log, newest first."""
    hook = _editable_webhook(request, pk)
    page = Paginator(hook.deliveries.order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "api/webhook.html", {"hook": hook, "page": page})


@login_required
@require_POST
def remove_webhook(request, pk):
    hook = _editable_webhook(request, pk)
    hook.remove()
    messages.success(request, _("The webhook was removed; nothing more is sent to it."))
    return redirect("api:webhooks", slug=hook.local.slug)
