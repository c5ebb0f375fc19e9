"""What makes the site installable on a phone's home screen: the web manifest, the icons at
the addresses browsers ask for, and the service worker, served from the site's own origin
(under the Content Security Policy, never from a CDN)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


def _static_file(name: str) -> Path:
    found = finders.find(name) or (Path(settings.STATIC_ROOT) / name)
    path = Path(found)
    if not path.is_file():
        raise Http404
    return path


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, at the site's root so that it may serve the steward's pages. It is
    revalidated on every visit, so a new version reaches phones at once."""
    response = HttpResponse(
        _static_file("js/sw.js").read_bytes(), content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    return JsonResponse(
        {
            "name": _("Common Good"),
            "short_name": _("Common Good"),
            "description": _("Bargaining for the common good, together."),
            "start_url": reverse("campaigns:my_buildings"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#b3261e",
            "icons": icons,
        },
        content_type="application/manifest+json",
    )


@require_GET
@cache_control(max_age=86400)
def apple_touch_icon(request):
    return HttpResponse(
        _static_file("img/apple-touch-icon.png").read_bytes(), content_type="image/png"
    )


@require_GET
@cache_control(max_age=86400)
def favicon(request):
    return HttpResponse(_static_file("img/favicon.ico").read_bytes(), content_type="image/x-icon")
