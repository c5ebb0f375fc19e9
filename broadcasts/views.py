"""Leaders' broadcast pages; the public unsubscribe page, click redirect and provider webhook."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.views.scoping import campaign_for_leader
from campaigns.zones import shows

from . import composing, segments
from .forms import BroadcastForm, BroadcastSettingsForm, ScheduleForm
from .models import Broadcast, BroadcastSettings, Click, Delivery, Link, Suppression

PAGE_SIZE = 25


def _broadcast(request, pk) -> Broadcast:
    return get_object_or_404(
        Broadcast.objects.visible_to(request.user)
        .select_related("campaign__local", "building", "action")
        .prefetch_related("texts"),
        pk=pk,
    )


@login_required
@require_GET
def broadcast_list(request, slug):
    campaign = campaign_for_leader(request, slug)
    broadcasts = Broadcast.objects.filter(campaign=campaign).prefetch_related("texts")
    page = Paginator(broadcasts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "broadcasts/list.html", {"campaign": campaign, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_create(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = BroadcastForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        broadcast = form.save(by=request.user)
        messages.success(request, _("Draft saved. Preview it, send yourself a test, then send."))
        return redirect("broadcasts:detail", pk=broadcast.pk)
    return render(request, "broadcasts/form.html", {"campaign": campaign, "form": form})


@shows(Broadcast)
@login_required
@require_http_methods(["GET", "POST"])
def broadcast_edit(request, pk):
    broadcast = _broadcast(request, pk)
    if not broadcast.is_draft:
        raise PermissionDenied
    form = BroadcastForm(request.POST or None, instance=broadcast, campaign=broadcast.campaign)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, _("Draft saved."))
        return redirect("broadcasts:detail", pk=broadcast.pk)
    return render(
        request,
        "broadcasts/form.html",
        {"campaign": broadcast.campaign, "form": form, "broadcast": broadcast},
    )


def _previews(broadcast: Broadcast) -> list[dict]:
    """The message as one reader of each language with a text will get it."""
    links = {link.url: link for link in broadcast.links.all()}
    previews = []
    for text in broadcast.texts.all():
        reader = segments.sample(broadcast, text.language)
        subject, body, _html = composing.render(broadcast, text.language, links)
        body = body.replace(composing._UNSUBSCRIBE, _("(the reader's unsubscribe link)"))
        previews.append(
            {
                "language": text.get_language_display(),
                "reader": reader,
                "subject": subject,
                "body": body.replace(composing._PERSON, ""),
            }
        )
    return previews


@shows(Broadcast)
@login_required
@require_GET
def broadcast_detail(request, pk):
    broadcast = _broadcast(request, pk)
    failed = broadcast.deliveries.filter(status=Delivery.Status.FAILED, is_test=False)
    page = Paginator(failed.order_by("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "broadcast": broadcast,
        "campaign": broadcast.campaign,
        "counts": broadcast.counts(),
        "segment_size": segments.count(broadcast) if broadcast.is_draft else None,
        "previews": _previews(broadcast),
        "page": page,
        "links": broadcast.links.order_by("-clicks", "url")[:20],
        "schedule_form": ScheduleForm(),
    }
    return render(request, "broadcasts/detail.html", context)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_test(request, pk):
    broadcast = _broadcast(request, pk)
    if not broadcast.texts.all():
        raise PermissionDenied
    broadcast.send_test(to=request.user)
    messages.success(
        request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
    )
    return redirect("broadcasts:detail", pk=broadcast.pk)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_schedule(request, pk):
    broadcast = _broadcast(request, pk)
    if not broadcast.is_draft:
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("send_at", []):
            messages.error(request, error)
        return redirect("broadcasts:detail", pk=broadcast.pk)
    try:
        written = broadcast.schedule(by=request.user, send_at=form.cleaned_data["send_at"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("broadcasts:detail", pk=broadcast.pk)
    messages.success(
        request,
        ngettext("Scheduled for %(count)d person.", "Scheduled for %(count)d people.", written)
        % {"count": written},
    )
    return redirect("broadcasts:detail", pk=broadcast.pk)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_cancel(request, pk):
    broadcast = _broadcast(request, pk)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise PermissionDenied
    stopped = broadcast.cancel(by=request.user)
    messages.success(
        request,
        ngettext(
            "Cancelled: %(count)d message will not go out.",
            "Cancelled: %(count)d messages will not go out.",
            stopped,
        )
        % {"count": stopped},
    )
    return redirect("broadcasts:detail", pk=broadcast.pk)


@shows(Broadcast)
@login_required
@require_POST
def broadcast_retry(request, pk):
    from .sending import send_soon

    broadcast = _broadcast(request, pk)
    retried = broadcast.retry_failed()
    if retried:
        send_soon()
    messages.success(
        request,
        ngettext(
            "%(count)d message will be sent again.",
            "%(count)d messages will be sent again.",
            retried,
        )
        % {"count": retried},
    )
    return redirect("broadcasts:detail", pk=broadcast.pk)


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_settings(request, slug):
    campaign = campaign_for_leader(request, slug)
    instance = BroadcastSettings.for_local(campaign.local_id)
    form = BroadcastSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("broadcasts:list", slug=campaign.slug)
    return render(request, "broadcasts/settings.html", {"campaign": campaign, "form": form})


@csrf_exempt  # mail providers post RFC 8058 one-click unsubscribes without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    delivery_id = composing.read_unsubscribe_token(token)
    delivery = (
        Delivery.objects.select_related("broadcast__campaign__local").filter(pk=delivery_id).first()
        if delivery_id is not None
        else None
    )
    if delivery is None:
        raise Http404
    campaign = delivery.broadcast.campaign
    # The page speaks the language the message was written in, whatever the browser says.
    with translation.override(delivery.language or translation.get_language()):
        return _unsubscribe(request, delivery, campaign, token)


def _unsubscribe(request, delivery: Delivery, campaign, token: str):
    if request.method == "POST":
        Suppression.stop(
            delivery.recipient_email, Suppression.Reason.UNSUBSCRIBED, campaign_id=campaign.pk
        )
        Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
        return render(request, "broadcasts/unsubscribed.html", {"campaign": campaign, "done": True})
    return render(
        request,
        "broadcasts/unsubscribed.html",
        {"campaign": campaign, "done": False, "token": token},
    )


@never_cache
@require_GET
def click(request, token):
    """Count the click and send the reader on; who clicked is kept only where the local asked."""
    link = Link.objects.filter(token=token).first()
    if link is None:
        raise Http404
    Link.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    delivery_id = composing.read_person_token(request.GET.get("p", ""))
    if delivery_id is not None:
        delivery = Delivery.objects.filter(pk=delivery_id, broadcast_id=link.broadcast_id).first()
        local_id = link.broadcast.campaign.local_id
        if delivery is not None and BroadcastSettings.for_local(local_id).track_people:
            Click.objects.create(link=link, delivery=delivery)
    return HttpResponseRedirect(link.url)


WEBHOOK_REASONS = {
    "bounce": Suppression.Reason.BOUNCED,
    "bounced": Suppression.Reason.BOUNCED,
    "complaint": Suppression.Reason.COMPLAINED,
    "complained": Suppression.Reason.COMPLAINED,
    "spam": Suppression.Reason.COMPLAINED,
}


def signature(body: bytes) -> str:
    secret = getattr(settings, "BROADCAST_WEBHOOK_SECRET", "")
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt  # posted by the mail provider, which holds no CSRF token; signed instead
@require_POST
def webhook(request):
    """Bounces and complaints: ``{"events": [{"type": "bounce", "email": "..."}]}`` signed with
    the hex HMAC-SHA256 of the body in ``X-Signature``; each stops further sends there."""
    secret = getattr(settings, "BROADCAST_WEBHOOK_SECRET", "")
    given = request.headers.get("X-Signature", "").removeprefix("sha256=")
    if not secret or not hmac.compare_digest(given, signature(request.body)):
        raise PermissionDenied
    try:
        payload = json.loads(request.body)
        events = payload.get("events", [payload]) if isinstance(payload, dict) else payload
        parsed = [(e["type"], e["email"]) for e in events]
    except (ValueError, TypeError, KeyError, AttributeError):
        return HttpResponseBadRequest()
    stopped = 0
    for kind, email in parsed:
        reason = WEBHOOK_REASONS.get(str(kind).lower())
        if reason is not None and isinstance(email, str) and "@" in email:
            stopped += 1
            Suppression.stop(email, reason)
    return HttpResponse(f"{stopped}\n", content_type="text/plain")
