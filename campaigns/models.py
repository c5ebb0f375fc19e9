from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for

from .slugs import validate_free_slug


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
    timezone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
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


class Building(models.Model):
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


class Member(models.Model):
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
            )
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
            self.save(update_fields=["last_contacted_at", "support_level", "updated_at"])
        return conversation


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).local_ids)

    def led_by(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


class Campaign(models.Model):
    """One Bargaining for the Common Good campaign of a local."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-bargaining_target_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.slug])

    @property
    def has_plan(self) -> bool:
        return any([self.vision, self.strategy, self.theory_of_target, self.winning])

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


class Milestone(models.Model):
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


class Team(models.Model):
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


class ImportBatch(models.Model):
    """An uploaded roster between upload, column mapping, preview and import. The file is
    deleted once imported, so members' personal data does not linger on disk."""

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(_("roster file"), upload_to="rosters/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    mark_missing_as_left = models.BooleanField(
        _("mark members missing from this roster as having left"), default=True
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

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or f"import {self.pk}"

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None


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


class Assessment(models.Model):
    """The BCG self-assessment on one date: each statement scored 1 (not yet) to 4 (strong)."""

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
