"""The site's URLs plus views that write and then refuse, for the tests of the matrix's own
check that a refused request changed nothing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import path

from campaigns.models import Local
from config.urls import urlpatterns as site_urlpatterns


def reads_then_refuses(request):
    list(Local.objects.all())
    raise PermissionDenied


def renames_then_refuses(request):
    Local.objects.update(name="Renamed")
    raise PermissionDenied


def rewrites_the_same_name_then_refuses(request):
    Local.objects.update(name=F("name"))
    raise PermissionDenied


def writes_in_a_savepoint_it_rolls_back_then_refuses(request):
    with transaction.atomic():
        Local.objects.create(name="Never here", slug="never-here")
        transaction.set_rollback(True)
    raise PermissionDenied


def adds_and_removes_a_row_then_refuses(request):
    Local.objects.create(name="Gone again", slug="gone-again").delete()
    raise PermissionDenied


urlpatterns = [
    *site_urlpatterns,
    path("reads/", reads_then_refuses),
    path("renames/", renames_then_refuses),
    path("rewrites/", rewrites_the_same_name_then_refuses),
    path("savepoint/", writes_in_a_savepoint_it_rolls_back_then_refuses),
    path("adds-and-removes/", adds_and_removes_a_row_then_refuses),
]
