from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Organisation


@login_required
@require_GET
def organisation_list(request):
    organisations = Organisation.objects.visible_to(request.user).select_related("local")
    return render(request, "partners/organisation_list.html", {"organisations": organisations})


@login_required
@require_GET
def organisation_detail(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    people = organisation.people.select_related("user")
    return render(
        request,
        "partners/organisation_detail.html",
        {"organisation": organisation, "people": people},
    )
