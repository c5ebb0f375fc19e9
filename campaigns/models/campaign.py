"""A campaign, its timeline (phases and milestones) and its teams and tasks."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from celery import signature
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from config.enqueue import enqueue

from ..slugs import validate_free_slug
from ..versioning import Versioned
from .people import Local

# The public version is read on every public request. With a cache that every process shares
# (Redis) it is kept there: dropped inside the changing transaction and written with the new
# value the moment it commits, so every process sees the change at once. A short lifetime
# heals the rare race of two changes committing together. A per-process cache would never
# hear of another process's change, so with one the database is read every time.
PUBLIC_VERSION_TTL = 10


def _public_version_key(slug: str) -> str:
    return f"campaigns:public-version:{slug}"


def _cache_is_shared() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).local_ids)

    def led_by(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)

    def public_version_of(self, slug: str) -> int | None:
        """The public version of the campaign with this address, cheaply, for each request."""
        shared = _cache_is_shared()
        if shared:
            version = cache.get(_public_version_key(slug))
            if version is not None:
                return version or None
        version = self.filter(slug=slug).values_list("public_version", flat=True).first()
        if shared:
            # add, not set: a change committed meanwhile has written a newer version.
            cache.add(_public_version_key(slug), version or 0, PUBLIC_VERSION_TTL)
        return version


class Campaign(Versioned):
    """One Bargaining for the Common Good campaign of a local."""

    # The sections of the written plan; each is internal unless a leader shares it.
    PLAN_SECTIONS = ["vision", "strategy", "theory_of_target", "winning"]

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("web address"),
        unique=True,
        validators=[validate_free_slug],
        help_text=_("Used in the public page's address."),
    )
    bargaining_target_date = models.DateField(_("bargaining target date"))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What the campaign is about, in plain language.")
    )
    vision = models.TextField(
        _("vision"), blank=True, help_text=_("The schools and community we are fighting for.")
    )
    strategy = models.TextField(
        _("strategy"), blank=True, help_text=_("How we build the power to win.")
    )
    theory_of_target = models.TextField(
        _("theory of the target"),
        blank=True,
        help_text=_("Who decides, what moves them, and who can move them."),
    )
    winning = models.TextField(
        _("what winning looks like"),
        blank=True,
        help_text=_("The concrete wins, and how members and partners will know."),
    )
    vision_shared = models.BooleanField(_("share the vision with partners"), default=False)
    strategy_shared = models.BooleanField(_("share the strategy with partners"), default=False)
    theory_of_target_shared = models.BooleanField(
        _("share the theory of the target with partners"), default=False
    )
    winning_shared = models.BooleanField(
        _("share what winning looks like with partners"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves whenever anything the public sees changes: the open page, feed and calendar are
    # cached and tagged by it, and a stored PDF report older than it is never served.
    public_version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-bargaining_target_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.slug])

    def public_changed(self) -> None:
        """Record that something the public sees changed: a publish, an unpublish, or an edit of
        a published item or of the public page. Call it inside the transaction of the change,
        so the new version and the change commit together; the PDF report is rendered again
        once they have."""
        Campaign.objects.filter(pk=self.pk).update(public_version=models.F("public_version") + 1)
        self.public_version = (
            Campaign.objects.filter(pk=self.pk).values_list("public_version", flat=True).get()
        )
        # Until the change commits, readers get the version from the database (the old one,
        # as the change is not visible yet); once it commits, the new one is written for all.
        if _cache_is_shared():
            cache.delete(_public_version_key(self.slug))
            transaction.on_commit(self._share_public_version)
        # The report is bargaining's, and campaigns sit below every app, so the task is asked
        # for by its name. Nothing is lost if the broker is down: the periodic job renders
        # every report older than its campaign's version, and a download never serves one.
        enqueue(
            signature("bargaining.tasks.render_public_reports"),
            self.pk,
            waiting=_("Saved. The PDF report will be updated when the background service is back."),
        )

    def _share_public_version(self) -> None:
        version = Campaign.objects.filter(pk=self.pk).values_list("public_version", flat=True)
        cache.set(_public_version_key(self.slug), version.get(), PUBLIC_VERSION_TTL)

    @property
    def has_plan(self) -> bool:
        return any([self.vision, self.strategy, self.theory_of_target, self.winning])

    def plan_sections_for(self, user) -> list[tuple[str, str, bool]]:
        """(title, text, shared) of each written section this person may read: the union's
        leaders and stewards read the whole plan, partners only the sections shared with
        them."""
        roles = roles_for(user)
        internal = roles.leads(self.local_id) or self.local_id in roles.stewarded_local_ids
        return [
            (self._meta.get_field(name).verbose_name, text, shared)
            for name in self.PLAN_SECTIONS
            if (text := getattr(self, name))
            and ((shared := getattr(self, f"{name}_shared")) or internal)
        ]

    def create_timeline_from_template(self) -> None:
        """Lay the toolkit's phases and milestones backwards from the bargaining target date
        and create the six teams. Does nothing to a campaign that already has a timeline."""
        from ..timeline import TEAM_KINDS, TIMELINE_TEMPLATE

        if self.phases.exists():
            return
        target = self.bargaining_target_date
        for order, (name, start, end, milestones) in enumerate(TIMELINE_TEMPLATE, start=1):
            phase = Phase.objects.create(
                campaign=self,
                name=str(name),
                order=order,
                starts_on=target + timedelta(days=start),
                ends_on=target + timedelta(days=end),
            )
            Milestone.objects.bulk_create(
                Milestone(
                    campaign=self,
                    phase=phase,
                    title=str(title),
                    due_on=target + timedelta(days=offset),
                )
                for title, offset in milestones
            )
        for kind in TEAM_KINDS:
            Team.objects.get_or_create(campaign=self, kind=kind)


class Phase(models.Model):
    """A stretch of the campaign: community building, listening tours... enforcement."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: date | None = None) -> bool:
        """Whether the local is in this phase today (``today`` in its zone, by default its
        own: outside a request the active zone is the server's)."""
        today = today or self.campaign.local.today()
        return self.starts_on <= today <= self.ends_on


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> MilestoneQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).local_ids)

    def open(self) -> MilestoneQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, today: date | None = None) -> MilestoneQuerySet:
        return self.open().filter(self._due("lt", today)).order_by("due_on")

    def upcoming(self, today: date | None = None) -> MilestoneQuerySet:
        return self.open().filter(self._due("gte", today)).order_by("due_on")

    @staticmethod
    def _due(lookup: str, today: date | None) -> models.Q:
        """Due before (``lt``) or from (``gte``) ``today``; by default each milestone's own
        local's today, whatever zone is active: one condition per zone the locals are in
        (nearly always one), found with one small query rather than one per milestone."""
        if today is not None:
            return models.Q(**{f"due_on__{lookup}": today})
        now = timezone.now()
        zones = Local.objects.order_by().values_list("timezone", flat=True).distinct()
        condition = models.Q(pk__in=[])
        for name in zones:
            day = timezone.localdate(now, ZoneInfo(name))
            condition |= models.Q(campaign__local__timezone=name, **{f"due_on__{lookup}": day})
        return condition


class Milestone(Versioned):
    """Something the campaign must have done by a date; leaders check it off."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("phase"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    notes = models.TextField(_("notes"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Past due in the local's own today (read its campaign with its local, so that a list
        of milestones costs no query each)."""
        return not self.is_done and self.due_on < self.campaign.local.today()

    def check_off(self, by) -> None:
        if self.is_done:
            return
        self.done_at = timezone.now()
        self.done_by = by
        self.save(update_fields=["done_at", "done_by"])

    def reopen(self) -> None:
        self.done_at = None
        self.done_by = None
        self.save(update_fields=["done_at", "done_by"])


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> TeamQuerySet:
        """Leaders see every team of their locals; anyone else the teams they are on."""
        roles = roles_for(user)
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids)
            | models.Q(campaign__local_id__in=roles.local_ids, members=user)
            | models.Q(campaign__local_id__in=roles.local_ids, lead=user)
        ).distinct()


class Team(Versioned):
    """One of the campaign's working teams, with a lead, members and tasks."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Leadership")
        ORGANIZING = "organizing", _("Organizing and mobilizing")
        COMMUNICATIONS = "communications", _("Communications")
        POLITICAL = "political", _("Political")
        RESEARCH = "research", _("Research")
        BARGAINING = "bargaining", _("Bargaining")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    kind = models.CharField(_("team"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("lead"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_team_of_each_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("campaigns:team", args=[self.pk])

    def can_manage(self, user) -> bool:
        """Leaders of the local and the team's lead add and edit tasks."""
        return roles_for(user).leads(self.campaign.local_id) or self.lead_id == user.pk


class Task(models.Model):
    """A piece of work of one team."""

    # How to reach the local from here, for the time zone its pages are shown in.
    local_path = "team__campaign__local"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_tasks",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = [models.F("done_at").asc(nulls_first=True), "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def toggle_done(self) -> None:
        self.done_at = None if self.is_done else timezone.now()
        self.save(update_fields=["done_at"])
