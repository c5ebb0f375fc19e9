from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for

from . import dashboard
from .assessment import ELEMENTS, STATEMENTS
from .charts import line_chart
from .forms import (
    AssessmentForm,
    CampaignForm,
    ConversationForm,
    MappingForm,
    MeetingForm,
    MemberForm,
    MilestoneForm,
    PlanForm,
    RosterUploadForm,
    StructureTestForm,
    TaskForm,
    TeamForm,
)
from .models import (
    Assessment,
    Building,
    Campaign,
    ImportBatch,
    Local,
    Member,
    Milestone,
    StructureTest,
    StructureTestParticipation,
    Task,
    Team,
    TenMinuteMeeting,
)
from .roster import (
    RosterError,
    apply_preview,
    build_preview,
    export_members,
    guess_mapping,
    read_roster,
)


def _led_campaign(request, slug) -> Campaign:
    """A campaign the user can see, which they must lead to change (404 / 403 otherwise)."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    return campaign


# Campaign, plan, timeline ---------------------------------------------------------------------


@login_required
@require_GET
def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    roles = roles_for(request.user)
    leads = roles.leads(campaign.local_id)
    phases = campaign.phases.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.select_related("done_by"))
    )
    unphased = campaign.milestones.filter(phase__isnull=True).select_related("done_by")
    teams = campaign.teams.select_related("lead")
    context = {
        "campaign": campaign,
        "phases": phases,
        "unphased": unphased,
        "teams": teams,
        "my_team_ids": set(
            Team.objects.visible_to(request.user)
            .filter(campaign=campaign)
            .values_list("pk", flat=True)
        ),
        "can_edit": roles.leads(campaign.local_id),
        "is_organizer": leads or campaign.local_id in roles.stewarded_local_ids,
        "tests": campaign.structure_tests.all() if roles.leads(campaign.local_id) else [],
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    led = Local.objects.led_by(request.user)
    initial = {"bargaining_target_date": timezone.localdate() + timedelta(days=548)}
    form = CampaignForm(request.POST or None, locals_qs=led, initial=initial)
    if request.method == "GET" and "name" in request.GET:
        form.initial["slug"] = slugify(request.GET["name"])
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = form.save(commit=False)
            campaign.local = form.cleaned_data["local"]
            campaign.save()
            campaign.create_timeline_from_template()
        messages.success(
            request,
            _("Campaign created with the toolkit's timeline, counted back from bargaining."),
        )
        return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, slug):
    campaign = _led_campaign(request, slug)
    form = PlanForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Campaign plan saved."))
        return redirect(campaign)
    return render(request, "campaigns/plan_form.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, slug):
    campaign = _led_campaign(request, slug)
    form = MilestoneForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        milestone = form.save(commit=False)
        milestone.campaign = campaign
        milestone.save()
        messages.success(request, _("Milestone added."))
        return redirect(campaign)
    return render(request, "campaigns/milestone_form.html", {"campaign": campaign, "form": form})


def _milestone_for_leader(request, pk) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not roles_for(request.user).leads(milestone.campaign.local_id):
        raise PermissionDenied
    return milestone


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk):
    milestone = _milestone_for_leader(request, pk)
    campaign = milestone.campaign
    form = MilestoneForm(request.POST or None, instance=milestone, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Milestone saved."))
        return redirect(campaign)
    return render(
        request,
        "campaigns/milestone_form.html",
        {"campaign": campaign, "form": form, "milestone": milestone},
    )


@login_required
@require_POST
def milestone_toggle(request, pk):
    milestone = _milestone_for_leader(request, pk)
    if milestone.is_done:
        milestone.reopen()
        announce = _("“%(title)s” reopened.") % {"title": milestone.title}
    else:
        milestone.check_off(by=request.user)
        announce = _("“%(title)s” checked off.") % {"title": milestone.title}
    if request.htmx:
        return render(
            request,
            "campaigns/campaign_detail.html#milestone",
            {"milestone": milestone, "can_edit": True, "announce": announce},
        )
    messages.success(request, announce)
    return redirect(milestone.campaign)


# Teams ----------------------------------------------------------------------------------------


@login_required
@require_GET
def team_detail(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("campaign__local", "lead"), pk=pk
    )
    tasks = team.tasks.select_related("assigned_to")
    return render(
        request,
        "campaigns/team_detail.html",
        {
            "team": team,
            "tasks": tasks,
            "people": team.members.all(),
            "can_manage": team.can_manage(request.user),
            "is_leader": roles_for(request.user).leads(team.campaign.local_id),
            "task_form": TaskForm(team=team) if team.can_manage(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not roles_for(request.user).leads(team.campaign.local_id):
        raise PermissionDenied
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Team saved."))
        return redirect(team)
    return render(request, "campaigns/team_form.html", {"team": team, "form": form})


@login_required
@require_POST
def task_add(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not team.can_manage(request.user):
        raise PermissionDenied
    form = TaskForm(request.POST, team=team)
    if form.is_valid():
        task = form.save(commit=False)
        task.team = team
        task.save()
        messages.success(request, _("Task added."))
        return redirect(team)
    tasks = team.tasks.select_related("assigned_to")
    return render(
        request,
        "campaigns/team_detail.html",
        {
            "team": team,
            "tasks": tasks,
            "people": team.members.all(),
            "can_manage": True,
            "task_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def task_toggle(request, pk):
    task = get_object_or_404(
        Task.objects.filter(team__in=Team.objects.visible_to(request.user)).select_related(
            "team", "assigned_to"
        ),
        pk=pk,
    )
    task.toggle_done()
    announce = (_("“%(title)s” done.") if task.is_done else _("“%(title)s” reopened.")) % {
        "title": task.title
    }
    if request.htmx:
        return render(
            request, "campaigns/team_detail.html#task", {"task": task, "announce": announce}
        )
    messages.success(request, announce)
    return redirect(task.team)


# Members --------------------------------------------------------------------------------------


def _require_member_access(request):
    roles = roles_for(request.user)
    if not (roles.is_leader or roles.is_steward):
        raise PermissionDenied
    return roles


@login_required
@require_GET
def member_list(request):
    roles = _require_member_access(request)
    members = Member.objects.visible_to(request.user).select_related("building")
    buildings = Building.objects.visible_to(request.user)
    search = request.GET.get("q", "").strip()
    if search:
        members = members.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(employee_id__iexact=search)
            | Q(work_email__icontains=search)
        )
    building_id = request.GET.get("building", "")
    if building_id.isdigit():
        members = members.filter(building_id=building_id)
    level = request.GET.get("level", "")
    if level == "none":
        members = members.filter(support_level__isnull=True)
    elif level.isdigit():
        members = members.filter(support_level=level)
    if request.GET.get("left") != "1":
        members = members.current()
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/member_list.html",
        {
            "page": page,
            "buildings": buildings,
            "levels": Member.SupportLevel.choices,
            "filters": {"q": search, "building": building_id, "level": level},
            "query": query.urlencode(),
            "is_leader": roles.is_leader,
        },
    )


@login_required
@require_GET
def member_detail(request, pk):
    _require_member_access(request)
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("building", "local"), pk=pk
    )
    conversations = member.conversations.select_related("steward")[:50]
    return render(
        request,
        "campaigns/member_detail.html",
        {"member": member, "conversations": conversations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    _require_member_access(request)
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    buildings = Building.objects.visible_to(request.user).filter(local_id=member.local_id)
    form = MemberForm(request.POST or None, instance=member, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s saved.") % {"name": member.name})
        return redirect(member)
    return render(request, "campaigns/member_form.html", {"member": member, "form": form})


@login_required
@leader_required
@require_GET
def member_export(request):
    members = Member.objects.filter(local__in=Local.objects.led_by(request.user)).order_by(
        "building__name", "last_name", "first_name"
    )
    dataset = export_members(members)
    response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
    return response


# Roster import --------------------------------------------------------------------------------


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    led = Local.objects.led_by(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None, locals_qs=led)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            read_roster(content, upload.name)
        except RosterError as error:
            form.add_error("file", str(error))
        else:
            batch = ImportBatch(
                local=form.chosen_local,
                uploaded_by=request.user,
                original_name=upload.name[:255],
            )
            suffix = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            batch.file.save(f"roster-{timezone.now():%Y%m%d%H%M%S}.{suffix}", ContentFile(content))
            return redirect("campaigns:import_mapping", pk=batch.pk)
    recent = ImportBatch.objects.visible_to(request.user).filter(imported_at__isnull=False)[:5]
    return render(request, "campaigns/import_upload.html", {"form": form, "recent": recent})


def _pending_batch(request, pk) -> tuple[ImportBatch, object]:
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    if batch.is_imported or not batch.file:
        raise Http404
    with batch.file.open("rb") as handle:
        content = handle.read()
    return batch, read_roster(content, batch.original_name)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    batch, dataset = _pending_batch(request, pk)
    initial = batch.mapping or guess_mapping(dataset.headers)
    form = MappingForm(
        request.POST or None,
        headers=dataset.headers,
        initial={**initial, "mark_missing_as_left": batch.mark_missing_as_left},
    )
    if request.method == "POST" and form.is_valid():
        batch.mapping = form.mapping
        batch.mark_missing_as_left = form.cleaned_data["mark_missing_as_left"]
        batch.save(update_fields=["mapping", "mark_missing_as_left"])
        return redirect("campaigns:import_preview", pk=batch.pk)
    sample = [dict(zip(dataset.headers, row, strict=False)) for row in dataset[:3]]
    return render(
        request,
        "campaigns/import_mapping.html",
        {"batch": batch, "form": form, "headers": dataset.headers, "sample": sample},
    )


@login_required
@leader_required
@require_GET
def import_preview(request, pk):
    batch, dataset = _pending_batch(request, pk)
    if not batch.mapping:
        return redirect("campaigns:import_mapping", pk=batch.pk)
    preview = build_preview(batch.local, dataset, batch.mapping, batch.mark_missing_as_left)
    return render(
        request,
        "campaigns/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "errors": preview.errors[:200],
            "sample_adds": preview.to_add[:10],
        },
    )


@login_required
@leader_required
@require_POST
def import_run(request, pk):
    batch, dataset = _pending_batch(request, pk)
    preview = build_preview(batch.local, dataset, batch.mapping, batch.mark_missing_as_left)
    if not preview.is_valid:
        messages.error(request, _("The roster has errors; nothing was imported. Fix the file."))
        return redirect("campaigns:import_preview", pk=batch.pk)
    with transaction.atomic():
        # A double click must not import twice: the second request waits, then finds it done.
        if ImportBatch.objects.select_for_update().get(pk=batch.pk).is_imported:
            messages.info(request, _("This roster was already imported."))
            return redirect("campaigns:members")
        counts = apply_preview(batch.local, preview)
        for name, value in counts.items():
            setattr(batch, name, value)
        batch.imported_at = timezone.now()
        batch.save()
        # Personal data does not stay on disk once it is in the database.
        transaction.on_commit(lambda: batch.file.delete(save=True))
    messages.success(
        request,
        _(
            "Roster imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged, "
            "%(left)d marked as having left."
        )
        % counts,
    )
    return redirect("campaigns:members")


# The steward's phone page ----------------------------------------------------------------------


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
    url = reverse("campaigns:building_organize", args=[member.building_id])
    if test is not None:
        url += f"?test={test.pk}"
    return f"{url}#member-{member.pk}"


def _test_from(request, member: Member) -> StructureTest | None:
    test_id = request.POST.get("test") or request.GET.get("test")
    if not test_id or not str(test_id).isdigit():
        return None
    return StructureTest.objects.filter(pk=test_id, campaign__local_id=member.local_id).first()


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
    campaign = _led_campaign(request, slug)
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
        {"building": building, "form": form, "meetings": meetings},
    )


# Buildings ------------------------------------------------------------------------------------


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


# The leader's dashboard and the self-assessment ----------------------------------------------


@login_required
@require_GET
def organizing_dashboard(request, slug):
    campaign = _led_campaign(request, slug)
    test = dashboard.latest_test(campaign)
    kind = request.GET.get("kind", "")
    if kind not in Building.Kind.values:
        kind = ""
    search = request.GET.get("q", "").strip()[:100]
    rows = dashboard.building_stats(campaign, test, kind=kind, search=search)
    summary = dashboard.totals(rows)
    rows, sort = dashboard.sort_rows(rows, request.GET.get("sort", "weakest"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = request.GET.copy()
    for key in ("page", "sort"):
        filters.pop(key, None)
    weeks = dashboard.history(
        campaign,
        summary
        if not (kind or search)
        else dashboard.totals(dashboard.building_stats(campaign, None)),
    )
    supporters_chart = line_chart([(w.week.strftime("%d %b"), w.supporters) for w in weeks])
    active_chart = line_chart([(w.week.strftime("%d %b"), w.active_buildings) for w in weeks])
    labels = [
        ("name", _("Building")),
        ("members", _("Members")),
        ("stewards", _("Stewards")),
        ("ratio", _("Members per steward")),
        ("assessed", _("Assessed")),
        ("supporters", _("Supporters (1-2)")),
        ("took_part", _("Took part in the last test")),
        ("contact", _("Days since last contact")),
    ]
    columns = []
    for key, label in labels:
        current = sort.lstrip("-") == key
        descending_first = dashboard.SORTS[key][1]
        descending = current and (sort.startswith("-") != descending_first)
        columns.append(
            {
                "key": key,
                "label": label,
                "next": f"-{key}" if current and not sort.startswith("-") else key,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "campaign": campaign,
            "test": test,
            "page": page,
            "summary": summary,
            "sort": sort,
            "columns": columns,
            "kind": kind,
            "search": search,
            "kinds": Building.Kind.choices,
            "query": query.urlencode(),
            "filter_query": filters.urlencode(),
            "weeks": weeks,
            "supporters_chart": supporters_chart,
            "active_chart": active_chart,
            "goal": dashboard.STEWARD_GOAL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, slug):
    campaign = _led_campaign(request, slug)
    history = list(campaign.assessments.all())
    latest = history[-1] if history else None
    form = AssessmentForm(request.POST or None, initial=dict(latest.scores) if latest else None)
    if request.method == "POST" and form.is_valid():
        Assessment.objects.update_or_create(
            campaign=campaign,
            taken_on=form.cleaned_data["taken_on"],
            defaults={
                "scores": form.scores,
                "notes": form.cleaned_data["notes"],
                "taken_by": request.user,
            },
        )
        messages.success(request, _("Self-assessment saved."))
        return redirect("campaigns:assessment", slug=campaign.slug)
    rows = []
    for code, label in ELEMENTS:
        scores = [a.element_scores()[code] for a in history]
        change = (
            round(scores[-1] - scores[-2], 1)
            if len(scores) > 1 and None not in scores[-2:]
            else None
        )
        rows.append({"label": label, "scores": scores, "change": change})
    sections = [(label, form.fields_for(code)) for code, label in ELEMENTS]
    return render(
        request,
        "campaigns/assessment.html",
        {
            "campaign": campaign,
            "history": history,
            "rows": rows,
            "form": form,
            "sections": sections,
            "statements": STATEMENTS,
        },
    )
