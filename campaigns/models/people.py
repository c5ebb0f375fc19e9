"""The local, its buildings and its members, and how member search compares names."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from accounts.languages import interface_language, is_known, language_name

from ..content import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from ..phones import normalise_phone_or_none
from ..slugs import validate_free_slug
from ..versioning import Versioned
from ..zones import validate_zone_name, zone_of

if TYPE_CHECKING:
    from .organizing import Conversation


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
    # Codes from campaigns.content.CONTENT_LANGUAGES, besides the default language.
    content_languages = models.JSONField(
        _("content languages"),
        default=list,
        blank=True,
        help_text=_("The languages you publish in besides English."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every change of what the organizing dashboard counts (members, their
    # buildings and support levels, stewards' buildings, 1-on-1s, structure tests), in the
    # transaction of the change: the dashboard's numbers are cached under it.
    organizing_version = models.PositiveIntegerField(default=1, editable=False)

    objects = LocalQuerySet.as_manager()

    class Meta:
        verbose_name = _("local")
        verbose_name_plural = _("locals")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def today(self) -> date:
        """The local's own date, wherever the code runs: at 20:30 in California, or in a task
        whose active zone is UTC, the server's date is already tomorrow."""
        return timezone.localdate(timezone.now(), zone_of(self))

    @staticmethod
    def organizing_changed(*local_ids: int | None) -> None:
        """Record that the organizing dashboard's numbers of these locals changed. Call it last
        in the transaction of the change: the locals' rows stay locked until it commits, and
        a transaction that takes no other lock after this one cannot deadlock on them."""
        ids = sorted({pk for pk in local_ids if pk is not None})
        if ids:
            Local.objects.filter(pk__in=ids).update(
                organizing_version=models.F("organizing_version") + 1
            )

    @property
    def content_language_codes(self) -> list[str]:
        """The default language first, then the ones the local turned on."""
        extra = [c for c in self.content_languages if c in CONTENT_LANGUAGES]
        return [DEFAULT_LANGUAGE, *[c for c in extra if c != DEFAULT_LANGUAGE]]

    @property
    def translation_languages(self) -> list[str]:
        """The languages leaders translate what they publish into."""
        return self.content_language_codes[1:]

    @property
    def public_language_codes(self) -> list[str]:
        """The languages the public outputs come in: every interface language and every
        content language (where the content is not translated it says so)."""
        interface = [code for code, _name in settings.LANGUAGES]
        return list(dict.fromkeys([*interface, *self.content_language_codes]))


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

    def edited(self, *, by=None) -> None:
        # The dashboard lists buildings by name and kind.
        Local.organizing_changed(self.local_id)


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


# A phone number typed in a search box: digits, with the punctuation people write numbers with.
PHONE_CHARACTERS = set("0123456789 +-.()/")
SHORTEST_PHONE_SEARCH = 4


def phone_pattern(query: str) -> str:
    """What a stored phone (E.164, "+12135550100") contains when it is the number ``query``
    spells: the whole E.164 number when ``query`` is a valid one in any format, else its
    digits (four at least, "555-0100"); "" when ``query`` is not a phone number."""
    if not set(query) <= PHONE_CHARACTERS:
        return ""
    number = normalise_phone_or_none(query)
    if number:
        return number.split(";")[0]
    digits = "".join(c for c in query if c.isdigit())
    return digits if len(digits) >= SHORTEST_PHONE_SEARCH else ""


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
        """Members that ``query`` names, ignoring case, accents and apostrophes ("siobhan obrien"
        finds "Siobhán O'Brien"): whose full name holds every word of it, in any order; or whose
        employee id, work or personal email, or building's name contains it; or whose phone is
        the number it spells, in any format, or contains its digits.

        Each branch can use an index (trigram indexes on the folded names, the employee ids,
        the emails and the phones; the member's building), so the search stays quick on a local
        of 36,000 members."""
        query = " ".join(query.replace(",", " ").split())
        if not query:
            return self
        words = models.Q()
        for word in query.split()[:6]:
            words &= models.Q(folded_name__contains=Folded(models.Value(word)))
        matches = words
        # Employee ids and email addresses hold no spaces: a query with one cannot be part of
        # either, and skipping those indexes saves most of a full-name search's time.
        if " " not in query:
            matches |= (
                models.Q(employee_id__icontains=query)
                | models.Q(work_email__icontains=query)
                | models.Q(personal_email__icontains=query)
            )
        building_ids = list(
            Building.objects.alias(folded=Folded("name"))
            .filter(folded__contains=Folded(models.Value(query)))
            .values_list("pk", flat=True)
        )
        if building_ids:
            matches |= models.Q(building_id__in=building_ids)
        phone = phone_pattern(query)
        if phone:
            matches |= models.Q(phone__contains=phone)
        return self.alias(folded_name=FoldedName()).filter(matches)

    def contacted(self, when: str) -> MemberQuerySet:
        """``never`` contacted, not for over ``CONTACT_RECENT_DAYS`` days (``over``, never
        included) or ``within`` them."""
        since = timezone.now() - timedelta(days=CONTACT_RECENT_DAYS)
        if when == "never":
            return self.filter(last_contacted_at__isnull=True)
        if when == "over":
            return self.filter(
                models.Q(last_contacted_at__isnull=True) | models.Q(last_contacted_at__lt=since)
            )
        if when == "within":
            return self.filter(last_contacted_at__gte=since)
        return self

    def sorted_by(self, key: str) -> MemberQuerySet:
        """The list in one of ``MEMBER_SORTS``' orders ("-" first for descending), then by name
        and id so that every page is stable; members not yet assessed or never contacted come
        last whichever way a column is sorted, except that an ascending last contact starts
        with those never contacted (the longest without one)."""
        descending = key.startswith("-")
        column = MEMBER_SORTS.get(key.removeprefix("-"), MEMBER_SORTS["name"])
        then = ["last_name", "first_name", "pk"]
        if column == "name":
            return self.order_by(*(f"-{name}" if descending else name for name in then))
        field = models.F(column)
        if column == "last_contacted_at" and not descending:
            first = field.asc(nulls_first=True)
        else:
            first = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return self.order_by(first, *then)

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
# The member list's "last contact" filter: within this many days, or over.
CONTACT_RECENT_DAYS = 30
# The member list's sortable columns: the key in the address → what it sorts on.
MEMBER_SORTS = {
    "name": "name",
    "building": "building__name",
    "support": "support_level",
    "contact": "last_contacted_at",
}


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
    # A language code ("es", "hmn"), or the roster's words when they name no known language,
    # kept for a leader to correct (accounts.languages.normalise_language).
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
    # The member's id outside the app (the OSDI API's ``common_good:<uuid>``): never reused.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["building", "last_contacted_at"]),
            models.Index(fields=["local", "employee_id"]),
            models.Index(fields=["local", "work_email"]),
            # The member list's first page (a local's members in name order) reads this index
            # in order instead of sorting 36,000 rows.
            models.Index(
                fields=["local", "last_name", "first_name", "id"], name="member_local_name_order"
            ),
            # The language filter's choices: the distinct languages of a local's members.
            models.Index(fields=["local", "preferred_language"], name="member_local_language"),
            # The dashboard counts each building's current members and their support from
            # this index alone (an index-only scan), at the cost of the local's size only.
            models.Index(
                fields=["local", "building"],
                include=["support_level"],
                condition=models.Q(left_at__isnull=True),
                name="member_current_by_building",
            ),
            # The escalation ladder takes the structure tests' leavers away from those who
            # took part: a local's few leavers are found here instead of among every member.
            models.Index(
                fields=["local"],
                condition=models.Q(left_at__isnull=False),
                name="member_left_by_local",
            ),
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
    def language_name(self) -> str:
        """The preferred language named in itself ("Español"), or the roster's words."""
        return language_name(self.preferred_language)

    @property
    def language_is_unknown(self) -> bool:
        """The roster's words name no language we know: a leader should correct them."""
        return bool(self.preferred_language) and not is_known(self.preferred_language)

    @property
    def email_language(self) -> str:
        """The language emails to this member are written in."""
        return interface_language(self.preferred_language)

    @property
    def days_since_contact(self) -> int | None:
        if self.last_contacted_at is None:
            return None
        return (timezone.now() - self.last_contacted_at).days

    @property
    def needs_contact(self) -> bool:
        days = self.days_since_contact
        return days is None or days >= STALE_AFTER_DAYS

    def log_conversation(
        self, *, by, held_on: date, recorded_at: datetime | None = None, **details
    ) -> Conversation:
        """Record a 1-on-1 and carry its outcome onto the member: the new support level (if the
        steward assessed one) and the date of the last contact.

        ``recorded_at`` is when the steward recorded it (on the phone, for one logged without
        signal), never later than now. When another steward's 1-on-1 recorded later has already
        set the support level, this one is kept with its assessment marked as superseded."""
        # Imported here: conversations refer to members, so their module imports this one.
        from .organizing import Conversation

        now = timezone.now()
        recorded_at = min(recorded_at or now, now)
        with transaction.atomic():
            # Locked, so that two stewards' 1-on-1s arriving together are ordered by their time.
            # What it holds now, not when this object was read: the level may have moved.
            locked = (
                Member.objects.select_for_update()
                .values("support_level", "last_contacted_at")
                .get(pk=self.pk)
            )
            self.support_level = locked["support_level"]
            self.last_contacted_at = locked["last_contacted_at"]
            later = (
                Conversation.objects.filter(
                    member=self, support_level__isnull=False, recorded_at__gt=recorded_at
                ).exists()
                if details.get("support_level") is not None
                else False
            )
            conversation = Conversation.objects.create(
                member=self,
                building_id=self.building_id,
                steward=by,
                held_on=held_on,
                recorded_at=recorded_at,
                support_superseded=later,
                **details,
            )
            contacted = min(now, timezone.make_aware(datetime.combine(held_on, time(12))))
            if self.last_contacted_at is None or contacted > self.last_contacted_at:
                self.last_contacted_at = contacted
            if conversation.support_level is not None and not later:
                self.support_level = conversation.support_level
            # A new version, so that a member form opened before this conversation cannot
            # save over the support level it just set.
            self.version = models.F("version") + 1
            self.save(update_fields=["last_contacted_at", "support_level", "updated_at", "version"])
            self.refresh_from_db(fields=["version"])
            Local.organizing_changed(self.local_id)
        return conversation

    def edited(self, *, by=None) -> None:
        # The building, the support level or the leaving date may be what changed.
        Local.organizing_changed(self.local_id)
