"""The steward's phone page: who to talk to next, 1-on-1s, structure tests, 10-minute
meetings; and the building pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.zones import shows

from ..forms import (
    BuildingForm,
    ConversationForm,
    MeetingForm,
    StructureTestForm,
)
from ..models import (
    Building,
    Campaign,
    Member,
    StructureTest,
    StructureTestParticipation,
    TenMinuteMeeting,
)
from ..versioning import save_or_merge
from .plan import get_led_campaign


def _campaign_for_local(local_id: int) -> Campaign | None:
    return (
        Campaign.objects.filter(local_id=local_id)
        .order_by("-bargaining_target_date")
        .prefetch_related("structure_tests")
        .first()
    )


def _organize_context(request, building: Building, buildings) -> dict:
    campaign = _campaign_for_local(building.local_id)
    tests = list(campaign.structure_tests.all()) if campaign else []
    test = None
    wanted = request.GET.get("test", "")
    for candidate in tests:
        if str(candidate.pk) == wanted:
            test = candidate
    if test is None and tests:
        test = tests[0]
    members = Member.objects.current().filter(building=building).in_talk_order()
    if test is not None:
        members = members.annotate(
            took_part=Exists(
                StructureTestParticipation.objects.filter(test=test, member=OuterRef("pk"))
            )
        )
    members = list(members)
    return {
        "building": building,
        "buildings": buildings,
        "campaign": campaign,
        "tests": tests,
        "test": test,
        "members": members,
        "took_part": sum(1 for m in members if getattr(m, "took_part", False)),
        "to_talk": sum(1 for m in members if m.needs_contact),
        "meetings": building.meetings.all()[:3],
        # Field mode is offered on a steward's own buildings only, never on leaders' pages.
        "field_form": ConversationForm(auto_id="id_field_%s")
        if roles_for(request.user).stewards(building.pk)
        else None,
    }


@login_required
@require_GET
def my_buildings(request):
    """The steward's page: their building's members in the order to talk to them."""
    roles = roles_for(request.user)
    buildings = sorted(
        {b for m in roles.memberships if m.role == "steward" for b in m.buildings.all()},
        key=lambda b: b.name,
    )
    if not buildings:
        if roles.is_leader:
            return redirect("campaigns:buildings")
        if roles.is_steward:
            messages.info(request, _("No building is assigned to you yet. Ask a leader."))
            return redirect("home")
        raise PermissionDenied
    wanted = request.GET.get("building", "")
    building = next((b for b in buildings if str(b.pk) == wanted), buildings[0])
    return render(
        request, "campaigns/organize.html", _organize_context(request, building, buildings)
    )


@shows(Building)
@login_required
@require_GET
def building_organize(request, pk):
    building = get_object_or_404(Building.objects.visible_to(request.user), pk=pk)
    return render(
        request, "campaigns/organize.html", _organize_context(request, building, [building])
    )


def _row_context(member: Member, test: StructureTest | None, **extra) -> dict:
    if test is not None:
        member.took_part = test.participations.filter(member=member).exists()
    return {"member": member, "test": test, **extra}


def _organize_url(member: Member, test: StructureTest | None = None) -> str:
    if member.building_id is None:
        return member.get_absolute_url()
    url = reverse("campaigns:building_organize", args=[member.building_id])
    if test is not None:
        url += f"?test={test.pk}"
    return f"{url}#member-{member.pk}"


def _test_from(request, member: Member) -> StructureTest | None:
    test_id = request.POST.get("test") or request.GET.get("test")
    if not test_id or not str(test_id).isdigit():
        return None
    return StructureTest.objects.filter(pk=test_id, campaign__local_id=member.local_id).first()


@shows(Member)
@login_required
@require_http_methods(["GET", "POST"])
def conversation_log(request, pk):
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("building"), pk=pk
    )
    test = _test_from(request, member)
    form = ConversationForm(request.POST or None, auto_id=f"id_m{member.pk}_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member.log_conversation(
            by=request.user,
            held_on=data["held_on"],
            outcome=data["outcome"],
            issues=data["issues"],
            ask=data["ask"],
            answer=data["answer"],
            support_level=data["support_level"],
        )
        announce = _("1-on-1 with %(name)s saved.") % {"name": member.name}
        if request.htmx:
            return render(
                request,
                "campaigns/organize.html#member-row",
                _row_context(member, test, announce=announce, focus="log"),
            )
        messages.success(request, announce)
        return redirect(_organize_url(member, test))
    if request.htmx:
        closing = request.method == "GET" and "cancel" in request.GET
        return render(
            request,
            "campaigns/organize.html#member-row",
            _row_context(member, test, form=None if closing else form, focus="log"),
        )
    return render(
        request,
        "campaigns/conversation_form.html",
        {"member": member, "form": form, "test": test},
        status=400 if request.method == "POST" else 200,
    )


@shows(StructureTest, by="test_pk")
@login_required
@require_POST
def participation_toggle(request, test_pk, member_pk):
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("building"), pk=member_pk
    )
    test = get_object_or_404(
        StructureTest.objects.visible_to(request.user).filter(campaign__local_id=member.local_id),
        pk=test_pk,
    )
    took_part = test.toggle(member, by=request.user)
    announce = (
        _("%(name)s took part in “%(test)s”.")
        if took_part
        else _("%(name)s no longer marked for “%(test)s”.")
    ) % {"name": member.name, "test": test.name}
    if request.htmx:
        member.took_part = took_part
        return render(
            request,
            "campaigns/organize.html#member-row",
            {"member": member, "test": test, "announce": announce, "focus": "test"},
        )
    messages.success(request, announce)
    return redirect(_organize_url(member, test))


@login_required
@require_http_methods(["GET", "POST"])
def structure_test_add(request, slug):
    campaign = get_led_campaign(request, slug)
    form = StructureTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        test = form.save(commit=False)
        test.campaign = campaign
        test.save()
        messages.success(request, _("Structure test “%(name)s” added.") % {"name": test.name})
        return redirect(campaign)
    return render(
        request, "campaigns/structure_test_form.html", {"campaign": campaign, "form": form}
    )


@shows(Building)
@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(request, pk):
    building = get_object_or_404(Building.objects.visible_to(request.user), pk=pk)
    form = MeetingForm(request.POST or None, building=building)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            meeting = form.save(commit=False)
            meeting.building = building
            meeting.led_by = request.user
            meeting.save()
            form.save_m2m()
        messages.success(
            request,
            _("10-minute meeting saved: %(count)d attended.")
            % {"count": meeting.attendees.count()},
        )
        return redirect("campaigns:building_organize", pk=building.pk)
    meetings = TenMinuteMeeting.objects.filter(building=building).prefetch_related("attendees")[:10]
    return render(
        request,
        "campaigns/meeting_form.html",
        {
            "building": building,
            "form": form,
            "meetings": meetings,
            "field_mode": roles_for(request.user).stewards(building.pk),
        },
    )


@login_required
@require_GET
def building_list(request):
    buildings = (
        Building.objects.visible_to(request.user).select_related("local").with_member_counts()
    )
    page = Paginator(buildings, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/building_list.html", {"page": page})


@shows(Building)
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
        {
            "building": building,
            "page": page,
            "stewards": stewards,
            "can_edit": building.can_edit(request.user),
        },
    )


@shows(Building)
@login_required
@require_http_methods(["GET", "POST"])
def building_edit(request, pk):
    building = get_object_or_404(
        Building.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    if not building.can_edit(request.user):
        raise PermissionDenied
    form = BuildingForm(request.POST or None, instance=building)
    context = {"building": building}
    if request.method == "POST" and form.is_valid():
        if merge := save_or_merge(
            request, form, building, template="campaigns/building_form.html", context=context
        ):
            return merge
        messages.success(request, _("%(name)s saved.") % {"name": building.name})
        return redirect(building)
    return render(request, "campaigns/building_form.html", {**context, "form": form})
