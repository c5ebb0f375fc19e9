from __future__ import annotations

import secrets
import unicodedata
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for

from .slugs import validate_free_slug
from .versioning import Versioned
from .zones import validate_zone_name


class LocalQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocalQuerySet:
        return self.filter(pk__in=roles_for(user).local_ids)

    def led_by(self, user) -> LocalQuerySet:
        return self.filter(pk__in=roles_for(user).led_local_ids)


class Local(models.Model):
    """A union local: the bargaining unit's union, with one employer and many buildings."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True, validators=[validate_free_slug])
    employer = models.CharField(_("employer"), max_length=200, help_text=_("The school district."))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/Los_Angeles",
        validators=[validate_zone_name],
        help_text=_("Every date and time of this local is shown in this zone."),
    )
    require_leader_mfa = models.BooleanField(
        _("require two-factor sign-in for leaders"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LocalQuerySet.as_manager()

    class Meta:
        verbose_name = _("local")
        verbose_name_plural = _("locals")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BuildingQuerySet(models.QuerySet):
    def visible_to(self, user) -> BuildingQuerySet:
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids) | models.Q(pk__in=roles.building_ids)
        )

    def with_member_counts(self) -> BuildingQuerySet:
        return self.annotate(
            member_count=models.Count(
                "members", filter=models.Q(members__left_at__isnull=True), distinct=True
            ),
            steward_count=models.Count("stewardships", distinct=True),
        ).order_by("name")


class Building(Versioned):
    """A worksite: a school or an office where members work."""

    class Kind(models.TextChoices):
        EARLY = "early", _("Early childhood")
        ELEMENTARY = "elementary", _("Elementary school")
        K8 = "k8", _("K-8 school")
        MIDDLE = "middle", _("Middle school")
        HIGH = "high", _("High school")
        ALTERNATIVE = "alternative", _("Alternative or continuation school")
        ADULT = "adult", _("Adult education")
        OFFICE = "office", _("District office")
        OTHER = "other", _("Other worksite")

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField(_("address"), max_length=300, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["local", "name"], name="unique_building_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:building", args=[self.pk])

    def can_edit(self, user) -> bool:
        """The local's leaders correct a building's name, kind and address."""
        return roles_for(user).leads(self.local_id)


# Apostrophes people type in names ("O'Brien", "O’Brien", "Oʼbrien"): search ignores them.
APOSTROPHES = "'’ʼ`´"


def fold(text: str | None) -> str | None:
    """How names are compared in search: without accents or apostrophes, in lower case.
    SQLite calls this as ``cg_fold``; PostgreSQL has its own ``cg_fold`` built on ``unaccent``
    (see the migration that creates it)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if not unicodedata.combining(c) and c not in APOSTROPHES)
    return "".join(kept).lower()


class Folded(models.Func):
    """``cg_fold(text)``: the text as search compares it."""

    function = "cg_fold"
    output_field = models.TextField()


class FoldedName(models.Func):
    """The member's folded "first last", the expression PostgreSQL's trigram index is built on
    (``cg_fold(first_name || ' ' || last_name)``), so that searching uses the index."""

    function = "cg_fold"
    arg_joiner = " || ' ' || "
    output_field = models.TextField()

    def __init__(self, **extra):
        super().__init__(models.F("first_name"), models.F("last_name"), **extra)


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberQuerySet:
        """Leaders see their locals' members; stewards their buildings'; nobody else any."""
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids)
            | models.Q(building_id__in=roles.building_ids)
        )

    def current(self) -> MemberQuerySet:
        return self.filter(left_at__isnull=True)

    def search(self, query: str) -> MemberQuerySet:
        """Members whose name holds every word of ``query`` (ignoring case, accents and
        apostrophes: "siobhan obrien" finds "Siobhán O'Brien"); an employee id finds its
        member and an address with "@" the work emails that contain it.

        Each branch can use an index (trigram indexes on the folded names and on the work
        emails, the local's employee ids), so the search stays quick on a local of 36,000
        members."""
        query = query.strip()
        if not query:
            return self
        if "@" in query:
            return self.filter(work_email__icontains=query)
        matches = models.Q()
        for word in query.split()[:6]:
            matches &= models.Q(folded_name__contains=Folded(models.Value(word)))
        if " " not in query and any(c.isdigit() for c in query):
            matches |= models.Q(employee_id__in={query, query.upper()})
        return self.alias(folded_name=FoldedName()).filter(matches)

    def in_talk_order(self) -> MemberQuerySet:
        """Who a steward should talk to next: never contacted, then not for two weeks, then
        the undecided, then everyone else; longest without a conversation first."""
        stale = timezone.now() - timedelta(days=STALE_AFTER_DAYS)
        return self.annotate(
            talk_priority=models.Case(
                models.When(last_contacted_at__isnull=True, then=0),
                models.When(last_contacted_at__lt=stale, then=1),
                models.When(support_level=Member.SupportLevel.UNDECIDED, then=2),
                models.When(support_level__isnull=True, then=2),
                default=3,
            )
        ).order_by(
            "talk_priority",
            models.F("last_contacted_at").asc(nulls_first=True),
            "last_name",
            "first_name",
        )


STALE_AFTER_DAYS = 14
SUPPORTER_LEVELS = (1, 2)


class Member(Versioned):
    """A bargaining-unit member. Personal data: only leaders and the building's stewards see it."""

    class SupportLevel(models.IntegerChoices):
        LEADER = 1, _("1 · Leader or activist")
        SUPPORTER = 2, _("2 · Supporter")
        UNDECIDED = 3, _("3 · Undecided")
        LEANING_AGAINST = 4, _("4 · Leaning against")
        OPPOSED = 5, _("5 · Opposed")

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="members")
    building = models.ForeignKey(
        # RESTRICT: a building with members cannot be deleted on its own, but deleting the
        # whole local (e.g. rebuilding the benchmark local) takes its members with it.
        Building,
        on_delete=models.RESTRICT,
        related_name="members",
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    employee_id = models.CharField(_("employee id"), max_length=50, blank=True)
    work_email = models.EmailField(_("work email"), blank=True)
    personal_email = models.EmailField(_("personal email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_class = models.CharField(_("job class"), max_length=100, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=50, blank=True)
    support_level = models.PositiveSmallIntegerField(
        _("support level"), choices=SupportLevel.choices, null=True, blank=True
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_contacted_at = models.DateTimeField(_("last contacted"), null=True, blank=True)
    left_at = models.DateTimeField(
        _("left the roster"), null=True, blank=True, help_text=_("Missing from the last roster.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["building", "last_contacted_at"]),
            models.Index(fields=["local", "employee_id"]),
            models.Index(fields=["local", "work_email"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_level__gte=1, support_level__lte=5)
                | models.Q(support_level__isnull=True),
                name="member_support_level_1_to_5",
            ),
            # Two imports (or an import and a hand-made member) never make the same person
            # twice: one member per employee id, and per work email, in each local.
            models.UniqueConstraint(
                fields=["local", "employee_id"],
                condition=~models.Q(employee_id=""),
                name="unique_member_employee_id",
                violation_error_message=_("Another member of this local has this employee id."),
            ),
            models.UniqueConstraint(
                models.F("local"),
                Lower("work_email"),
                condition=~models.Q(work_email=""),
                name="unique_member_work_email",
                violation_error_message=_("Another member of this local has this work email."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:member", args=[self.pk])

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_supporter(self) -> bool:
        return self.support_level in SUPPORTER_LEVELS

    @property
    def days_since_contact(self) -> int | None:
        if self.last_contacted_at is None:
            return None
        return (timezone.now() - self.last_contacted_at).days

    @property
    def needs_contact(self) -> bool:
        days = self.days_since_contact
        return days is None or days >= STALE_AFTER_DAYS

    def log_conversation(self, *, by, held_on: date, **details) -> Conversation:
        """Record a 1-on-1 and carry its outcome onto the member: the new support level (if the
        steward assessed one) and the date of the last contact."""
        with transaction.atomic():
            conversation = Conversation.objects.create(
                member=self, building_id=self.building_id, steward=by, held_on=held_on, **details
            )
            contacted = min(
                timezone.now(), timezone.make_aware(datetime.combine(held_on, time(12)))
            )
            if self.last_contacted_at is None or contacted > self.last_contacted_at:
                self.last_contacted_at = contacted
            if conversation.support_level is not None:
                self.support_level = conversation.support_level
            # A new version, so that a member form opened before this conversation cannot
            # save over the support level it just set.
            self.version = models.F("version") + 1
            self.save(update_fields=["last_contacted_at", "support_level", "updated_at", "version"])
            self.refresh_from_db(fields=["version"])
        return conversation


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
        # Imported here: the report is bargaining's, and campaigns sit below every app.
        from bargaining.tasks import render_public_reports
        from config.enqueue import enqueue

        # Nothing is lost if the broker is down: the periodic job renders every report older
        # than its campaign's version, and a download never serves one.
        enqueue(
            render_public_reports,
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
        from .timeline import TEAM_KINDS, TIMELINE_TEMPLATE

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
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> MilestoneQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).local_ids)

    def open(self) -> MilestoneQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, today: date | None = None) -> MilestoneQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate()).order_by("due_on")

    def upcoming(self, today: date | None = None) -> MilestoneQuerySet:
        return self.open().filter(due_on__gte=today or timezone.localdate()).order_by("due_on")


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
        return not self.is_done and self.due_on < timezone.localdate()

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


class StructureTestQuerySet(models.QuerySet):
    def visible_to(self, user) -> StructureTestQuerySet:
        roles = roles_for(user)
        return self.filter(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)


class StructureTest(models.Model):
    """A campaign-wide test of the structure: everyone signs the petition, wears red on
    Thursday, comes to the rally. Stewards record who took part."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="structure_tests")
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureTestQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure test")
        verbose_name_plural = _("structure tests")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name

    def toggle(self, member: Member, by) -> bool:
        """Tick or untick one member; returns whether the member now counts as taking part."""
        deleted, _by_model = self.participations.filter(member=member).delete()
        if deleted:
            return False
        StructureTestParticipation.objects.get_or_create(
            test=self, member=member, defaults={"recorded_by": by}
        )
        return True


class StructureTestParticipation(models.Model):
    """One member took part in one structure test, as recorded by a steward or leader."""

    test = models.ForeignKey(StructureTest, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="structure_tests")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structure test participation")
        verbose_name_plural = _("structure test participations")
        constraints = [
            models.UniqueConstraint(fields=["test", "member"], name="one_participation_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.test}"


class Conversation(models.Model):
    """A 1-on-1 between a steward (or leader) and a member."""

    class Outcome(models.TextChoices):
        COMMITTED = "committed", _("Said yes to the ask")
        THINKING = "thinking", _("Will think about it")
        DECLINED = "declined", _("Said no")
        NOT_REACHED = "not_reached", _("Could not talk (left a note)")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="conversations")
    # Where the conversation happened (the member's building then): the dashboard counts a
    # building's steward as active from its recent conversations without scanning members.
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    issues = models.TextField(
        _("issues raised"), blank=True, help_text=_("What they care about, in their words.")
    )
    ask = models.CharField(_("the ask"), max_length=300, blank=True)
    answer = models.CharField(_("their answer"), max_length=300, blank=True)
    support_level = models.PositiveSmallIntegerField(
        _("new support level"), choices=Member.SupportLevel.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("1-on-1 conversation")
        verbose_name_plural = _("1-on-1 conversations")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_level__gte=1, support_level__lte=5)
                | models.Q(support_level__isnull=True),
                name="conversation_support_level_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.held_on}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        return self.filter(building__in=Building.objects.visible_to(user))


class TenMinuteMeeting(models.Model):
    """A short meeting at a building: a few points, who came, what they asked."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agenda = models.TextField(_("agenda"))
    questions = models.TextField(
        _("questions to answer"), blank=True, help_text=_("What members asked; who follows up.")
    )
    attendees = models.ManyToManyField(
        Member, blank=True, related_name="meetings", verbose_name=_("who attended")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("10-minute meeting")
        verbose_name_plural = _("10-minute meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.building} · {self.held_on}"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


def roster_upload_to(instance, filename: str) -> str:
    """An unguessable name: nothing about the upload (time, file name, local) is in it."""
    return f"rosters/{secrets.token_urlsafe(24)}.json"


def private_storage():
    return storages["private"]


UNDO_DAYS = 30


class ImportBatch(models.Model):
    """An uploaded roster between upload, column mapping, preview and import, and afterwards the
    record of what the import changed (so it can be undone). The file holds the rows as parsed
    once at upload, in private storage; it is deleted once imported (or after a day)."""

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(
        _("roster file"), storage=private_storage, upload_to=roster_upload_to, blank=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    sheets = models.JSONField(
        default=list, blank=True, help_text="The parsed file's sheets: name, header line, rows."
    )
    sheet = models.PositiveSmallIntegerField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    mark_missing_as_left = models.BooleanField(
        _("mark members missing from this roster as having left"), default=False
    )
    # The leader's decisions in the preview: unknown site → "building:<id>", "create" or
    # "skip"; the lines to skip; and, for a big departure, the number they typed to confirm.
    site_choices = models.JSONField(default=dict, blank=True)
    skip_lines = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(
        default=list, blank=True, help_text="The rows the import skipped: line, name, why."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_buildings = models.JSONField(default=list, blank=True)
    undo_summary = models.JSONField(default=dict, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or f"import {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:import_detail", args=[self.pk])

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    @property
    def undo_deadline(self) -> datetime | None:
        return self.imported_at + timedelta(days=UNDO_DAYS) if self.imported_at else None

    @property
    def can_undo(self) -> bool:
        return (
            self.is_imported
            and self.undone_at is None
            and timezone.now() < self.imported_at + timedelta(days=UNDO_DAYS)
        )

    def run(self, *, by, confirm: int | None = None) -> dict[str, int]:
        """Import the roster as previewed: under a lock on the local, so two imports of the same
        local run one after the other and the second sees the members the first added."""
        from .roster import run_import

        return run_import(self, by=by, confirm=confirm)

    def undo(self, *, by) -> dict[str, int]:
        """Take the import back (see ``roster.undo_import``)."""
        from .roster import undo_import

        return undo_import(self, by=by)


class ImportChange(models.Model):
    """What one import did to one member, with the values before it, so it can be undone."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        UPDATED = "updated", _("updated")
        LEFT = "left", _("marked as left")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    # Not a reference that keeps a member: when the undo removes a member it added, this empties.
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("roster import change")
        verbose_name_plural = _("roster import changes")
        indexes = [models.Index(fields=["batch", "kind"])]

    def __str__(self) -> str:
        return f"{self.batch} · {self.kind} · {self.member_id}"


class WeeklySnapshot(models.Model):
    """How strong the structure was in one week: filled each Monday by a Celery beat task and
    for the current week computed on demand."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    week = models.DateField(_("week starting"))
    members = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)
    supporters = models.PositiveIntegerField(default=0)
    buildings = models.PositiveIntegerField(default=0)
    active_buildings = models.PositiveIntegerField(_("buildings with an active steward"), default=0)

    class Meta:
        verbose_name = _("weekly snapshot")
        verbose_name_plural = _("weekly snapshots")
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "week"], name="one_snapshot_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.week}"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).led_local_ids)


class Assessment(Versioned):
    """The BCG self-assessment on one date: each statement scored 1 (not yet) to 4 (strong)."""

    edited_by_field = "taken_by"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    taken_on = models.DateField(_("date"))
    scores = models.JSONField(default=dict)
    notes = models.TextField(_("notes"), blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "taken_on"], name="one_assessment_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.taken_on}"

    @classmethod
    def record(
        cls, *, campaign, taken_on: date, values: dict, changed: list[str], by, expected_version
    ) -> Assessment:
        """Save the assessment of ``taken_on``: a new one if nobody took one that day, else the
        ``changed`` scores and notes of the one saved at ``expected_version``."""
        from .assessment import STATEMENTS

        keys = [s.key for s in STATEMENTS]

        def changes(row: Assessment) -> dict:
            edited = {}
            if any(key in changed for key in keys):
                edited["scores"] = {**row.scores, **{k: values[k] for k in keys if k in changed}}
            if "notes" in changed:
                edited["notes"] = values["notes"]
            return edited

        return cls.create_or_edit(
            lookup={"campaign": campaign, "taken_on": taken_on},
            values={"scores": {key: values[key] for key in keys}, "notes": values["notes"]},
            changes=changes,
            by=by,
            expected_version=expected_version,
        )

    def element_scores(self) -> dict[str, float | None]:
        """Average score per element of the five, keyed by element code."""
        from .assessment import STATEMENTS

        totals: dict[str, list[int]] = {}
        for statement in STATEMENTS:
            score = self.scores.get(statement.key)
            if score:
                totals.setdefault(statement.element, []).append(int(score))
        return {
            element: round(sum(values) / len(values), 1) if values else None
            for element, values in ((e, totals.get(e, [])) for e in _element_codes())
        }


def _element_codes() -> list[str]:
    from .assessment import ELEMENTS

    return [code for code, _label in ELEMENTS]
