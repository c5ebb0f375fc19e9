from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Building, Campaign, Member


@login_required
@require_GET
def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    return render(request, "campaigns/campaign_detail.html", {"campaign": campaign})


@login_required
@require_GET
def building_list(request):
    buildings = (
        Building.objects.visible_to(request.user).select_related("local").with_member_counts()
    )
    page = Paginator(buildings, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/building_list.html", {"page": page})


@login_required
@require_GET
def building_detail(request, pk):
    building = get_object_or_404(
        Building.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    members = Member.objects.visible_to(request.user).current().filter(building=building)
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    stewards = building.stewardships.select_related("user")
    return render(
        request,
        "campaigns/building_detail.html",
        {"building": building, "page": page, "stewards": stewards},
    )
