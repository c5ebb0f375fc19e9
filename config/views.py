"""The site's own pages, which belong to no one area: the home page (which gathers what each
area has for the person signed in, so it lives above all of them), the health check for load
balancers, robots.txt and security.txt."""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import roles_for
from campaigns.models import Building, Campaign, Local, Milestone, Task, Team
from config.celery import app as celery_app
from partners.models import Organisation


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return render(request, "site/welcome.html")
    roles = roles_for(request.user)
    organizing = roles.is_leader or roles.is_steward
    milestones = Milestone.objects.filter(
        campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids
    ).select_related("campaign")
    context = {
        "overdue": list(milestones.overdue()[:5]) if organizing else [],
        "next_up": list(milestones.upcoming()[:5]) if organizing else [],
        "my_tasks": Task.objects.filter(
            team__in=Team.objects.visible_to(request.user).filter(
                Q(members=request.user) | Q(lead=request.user)
            ),
            done_at__isnull=True,
        )
        .select_related("team")
        .distinct()
        .order_by("due_on")[:8],
        "campaigns": Campaign.objects.visible_to(request.user).select_related("local"),
        "led_locals": Local.objects.led_by(request.user),
        "my_buildings": Building.objects.filter(pk__in=roles.building_ids)
        .select_related("local")
        .with_member_counts()
        if roles.is_steward
        else [],
        "my_organisations": Organisation.objects.filter(
            pk__in=roles.organisation_ids
        ).select_related("local")
        if roles.is_partner
        else [],
    }
    return render(request, "site/home.html", context)


@require_GET
@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; for load balancers."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["database"] = f"error: {type(error).__name__}"
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["broker"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


# The signed-in areas: search engines keep out of them (their pages also say noindex).
PRIVATE_PREFIXES = (
    "/accounts/", "/team/", "/campaigns/", "/partners/", "/demands/", "/bargaining/",
    "/audit/", "/pick/", "/admin/", "/i18n/",
)  # fmt: skip


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /open/", "Allow: /actions/*/rsvp/"]
    lines += [f"Disallow: {prefix}" for prefix in (*PRIVATE_PREFIXES, "/actions/")]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """RFC 9116: whom to tell of a vulnerability; it expires a year from when it is read,
    so it never goes stale while the site runs."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACT]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
        "Preferred-Languages: " + ", ".join(code for code, _name in settings.LANGUAGES),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
