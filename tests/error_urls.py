"""The site's URLs plus views that fail, for the tests of the error pages."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("boom in /srv/app/campaigns/views.py for member 4711")


def suspicious(request):
    raise SuspiciousOperation("tampered header from 10.0.0.7")


urlpatterns = [
    *site_urlpatterns,
    path("broken/", broken),
    path("suspicious/", suspicious),
]
