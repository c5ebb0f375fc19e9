"""The campaign: its plan, the timeline of phases and milestones, and the teams."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for
from campaigns.zones import shows

from ..forms import (
    CampaignForm,
    MilestoneForm,
    PlanForm,
    TaskForm,
    TeamForm,
    free_campaign_slug,
)
from ..models import (
    Campaign,
    Local,
    Milestone,
    Task,
    Team,
)
from ..versioning import save_or_merge


def get_led_campaign(request, slug) -> Campaign:
    """A campaign the user can see, which they must lead to change (404 / 403 otherwise)."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    return campaign


@login_required
@require_GET
def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    roles = roles_for(request.user)
    leads = roles.leads(campaign.local_id)
    phases = campaign.phases.prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.select_related("done_by", "campaign__local")
        )
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
        "plan_sections": campaign.plan_sections_for(request.user),
        "is_organizer": leads or campaign.local_id in roles.stewarded_local_ids,
        "tests": campaign.structure_tests.all() if roles.leads(campaign.local_id) else [],
        "today": campaign.local.today(),
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
        form.initial["slug"] = free_campaign_slug(request.GET["name"])
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
    campaign = get_led_campaign(request, slug)
    form = PlanForm(request.POST or None, instance=campaign)
    context = {"campaign": campaign}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, campaign, template="campaigns/plan_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Campaign plan saved."))
        return redirect(campaign)
    return render(request, "campaigns/plan_form.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, slug):
    campaign = get_led_campaign(request, slug)
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
        Milestone.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )
    if not roles_for(request.user).leads(milestone.campaign.local_id):
        raise PermissionDenied
    return milestone


@shows(Milestone)
@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk):
    milestone = _milestone_for_leader(request, pk)
    campaign = milestone.campaign
    form = MilestoneForm(request.POST or None, instance=milestone, campaign=campaign)
    context = {"campaign": campaign, "milestone": milestone}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, milestone, template="campaigns/milestone_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Milestone saved."))
        return redirect(campaign)
    return render(request, "campaigns/milestone_form.html", {**context, "form": form})


@shows(Milestone)
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


@shows(Team)
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


@shows(Team)
@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not roles_for(request.user).leads(team.campaign.local_id):
        raise PermissionDenied
    form = TeamForm(request.POST or None, instance=team)
    context = {"team": team}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, team, template="campaigns/team_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("Team saved."))
        return redirect(team)
    return render(request, "campaigns/team_form.html", {**context, "form": form})


@shows(Team)
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


@shows(Task)
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
