from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.content import language_name
from campaigns.versioning import Versioned


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Leaders see their locals' partners; a partner person sees their own organisation."""
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids) | models.Q(pk__in=roles.organisation_ids)
        )


class Organisation(Versioned):
    """A community partner organisation working with the local."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent group")
        FAITH = "faith", _("Faith group")
        TENANTS = "tenants", _("Tenants' union")
        STUDENT = "student", _("Student group")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood council")
        LABOUR = "labour", _("Labour union")
        COMMUNITY = "community", _("Community organisation")
        ELECTED = "elected", _("Elected office")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        FIRST_ONE_ON_ONE = "first_1on1", _("First 1-on-1 held")
        LISTENING = "listening", _("Listening session held")
        COALITION = "coalition", _("Coalition member")
        CO_LEADING = "co_leading", _("Co-leading")

    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY)
    stage = models.CharField(
        _("relationship stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    cares_about = models.TextField(_("what they care about"), blank=True)
    website = models.URLField(_("website"), blank=True)
    known_by = models.ManyToManyField(
        "campaigns.Member",
        blank=True,
        related_name="known_organisations",
        verbose_name=_("union members who know them"),
        help_text=_("Community mapping: only leaders see these names."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["local", "name"], name="unique_organisation_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    # One translation each, unlike get_FOO_display, which translates every choice.
    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def stage_label(self) -> str:
        return str(self.Stage(self.stage).label)

    def demands_with(self):
        """The demands this organisation co-authors or reviews, once each. Read through the
        reverse relations that demands declares, so partners imports nothing of demands;
        whoever may see the organisation may see these."""
        return (self.coauthored_demands.all() | self.shared_demands.all()).distinct()

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.local_id)


def private_storage() -> FileSystemStorage:
    """Uploaded letters and resolutions live outside MEDIA_ROOT: only a view that checks who
    is asking serves them, never a public URL (the project's one private storage)."""
    return storages["private"]


class Contact(models.Model):
    """A person at a partner organisation; not a user of the app."""

    # How to reach the local from here, for the time zone its pages are shown in.
    local_path = "organisation__local"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # A language code ("es", "hmn"): the emails to them (broadcasts, notices of an action
    # their organisation is invited to) are written in it when the app speaks it. Not a
    # choices field, like a member's, so adding a language needs no migration.
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language we write to them in."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_name(self) -> str:
        """The contact's language by its own name, as the language menu gives it."""
        return language_name(self.language) if self.language else ""


class ListeningSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ListeningSessionQuerySet:
        roles = roles_for(user)
        return self.filter(
            models.Q(organisation__local_id__in=roles.led_local_ids)
            | models.Q(organisation_id__in=roles.organisation_ids)
        )


class ListeningSession(Versioned):
    """A one-on-one, community meeting or survey where people named problems and solutions."""

    # How to reach the local from here, for the time zone its pages are shown in.
    local_path = "organisation__local"

    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", _("One-on-one")
        COMMUNITY_MEETING = "meeting", _("Community meeting")
        SURVEY = "survey", _("Survey")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="listening_sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY_MEETING
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("how many came"), default=0)
    who_came = models.TextField(
        _("who came"), blank=True, help_text=_("Groups and communities present, not a roster.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListeningSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("listening session")
        verbose_name_plural = _("listening sessions")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:session", args=[self.pk])

    def can_edit(self, user) -> bool:
        roles = roles_for(user)
        return roles.leads(self.organisation.local_id) or (
            self.organisation_id in roles.organisation_ids
        )


class Finding(models.Model):
    """A problem or a solution people named at a listening session."""

    # How to reach the local from here, for the time zone its pages are shown in.
    local_path = "session__organisation__local"

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        SOLUTION = "solution", _("Solution")

    session = models.ForeignKey(ListeningSession, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROBLEM)
    text = models.TextField(_("what people said"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["kind", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def demands_visible_to(cls, user):
        """The demands made from findings, as far as this person may see them. The model is
        found through the reverse relation that demands declares, as partners comes before
        demands and imports nothing of it."""
        return cls._meta.get_field("demands").related_model.objects.visible_to(user)


class SupportQuerySet(models.QuerySet):
    def visible_to(self, user) -> SupportQuerySet:
        roles = roles_for(user)
        return self.filter(
            models.Q(organisation__local_id__in=roles.led_local_ids)
            | models.Q(organisation_id__in=roles.organisation_ids)
        )

    def summary(self) -> dict[str, int]:
        """How many of each kind, in one query."""
        counts = dict(
            self.values_list("kind").annotate(n=models.Count("pk")).values_list("kind", "n")
        )
        return {kind: counts.get(kind, 0) for kind in Support.Kind.values}


class Support(models.Model):
    """An endorsement of the campaign, a letter of support or a resolution, with its document."""

    class Kind(models.TextChoices):
        ENDORSEMENT = "endorsement", _("Endorsement")
        LETTER = "letter", _("Letter of support")
        RESOLUTION = "resolution", _("Resolution")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="support"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LETTER)
    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("date"))
    document = models.FileField(
        _("document (PDF, PNG or JPEG)"),
        storage=private_storage,
        upload_to="support/%Y/",
        blank=True,
    )
    content_type = models.CharField(max_length=50, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering = ["-received_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_document_url(self) -> str:
        return reverse("partners:support_document", args=[self.pk]) if self.document else ""
