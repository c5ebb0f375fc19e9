"""After the table: the implementation plan of a win or a tentative agreement.

"Organizing does not end when we settle the contract": each commitment names who carries it
out, by when, how far it has got and the evidence that it happened. A commitment whose due
date has passed in the local's zone without being done is overdue; that is computed, never
stored, so it cannot go stale. Its owners are reminded before the due date through the
exactly-once reminders, re-planned in the transaction that moves the date."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltrans.fields import TranslationField

from campaigns.versioning import Versioned
from campaigns.zones import zone_of
from demands.models import Demand
from partners.models import private_storage

from .base import LedQuerySet, Publishable, TranslatedRecord, localized

# Owners are reminded on the morning of these days before the due date.
REMINDER_HOUR = 9
# Only a demand that was won, or whose article is tentatively agreed, has a plan to carry out.
PLANNED_DEMAND_STATUSES = (Demand.Status.WON, Demand.Status.PARTLY_WON, Demand.Status.TENTATIVE)


class CommitmentQuerySet(LedQuerySet):
    def overdue_first(self):
        return self.order_by("due_on", "pk")


class Commitment(TranslatedRecord, Versioned, Publishable):
    """One promise to carry out after a demand is won or an article is tentatively agreed."""

    class OwnerKind(models.TextChoices):
        JOINT_COMMITTEE = "joint_committee", _("Joint committee")
        DISTRICT = "district", _("The district")
        UNION = "union", _("The union")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="commitments"
    )
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("demand won or tentatively agreed"),
    )
    agreement = models.ForeignKey(
        "bargaining.TentativeAgreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("tentative agreement"),
    )
    title = models.CharField(_("what will be done"), max_length=300)
    owner_kind = models.CharField(
        _("owner"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.JOINT_COMMITTEE
    )
    owner_name = models.CharField(
        _("owner's name"),
        max_length=200,
        blank=True,
        help_text=_("For example: the joint class-size committee."),
    )
    reminded = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("remind these accounts"),
        help_text=_("The local's leaders are reminded too."),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence_link = models.URLField(_("evidence (a link)"), blank=True)
    evidence_document = models.FileField(
        _("evidence (a document)"),
        storage=private_storage,
        upload_to="commitments/%Y/",
        blank=True,
    )
    evidence_content_type = models.CharField(max_length=50, blank=True, editable=False)
    # Whether the public outputs have been told that it went overdue (see ``note_overdue``).
    overdue_noted = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What will be done, in the local's other languages (``title_es``...).
    i18n = TranslationField(fields=("title",))
    TRANSLATED_FIELDS = ("title",)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(demand__isnull=False) | models.Q(agreement__isnull=False),
                name="commitment_of_a_win_or_agreement",
                violation_error_message=_("Choose the demand or the agreement it carries out."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bargaining:commitment_edit", args=[self.pk])

    def clean(self) -> None:
        if not self.demand_id and not self.agreement_id:
            raise ValidationError(_("Choose the demand or the agreement it carries out."))
        if self.demand_id and self.demand.status not in PLANNED_DEMAND_STATUSES:
            raise ValidationError(
                {"demand": _("Only a won or tentatively agreed demand has a plan to carry out.")}
            )

    def edited(self, *, by=None) -> None:
        """After the commitment is saved, new or edited: its owners' reminders follow its due
        date and status, and the public page follows when it is public."""
        super().edited(by=by)
        from ..reminders import plan_commitment  # the reminders module builds on this model

        plan_commitment(self)

    def save_edits(self, *, by=None, reminded=None) -> None:
        """Save the commitment and the accounts to remind, then plan the reminders, in one
        transaction."""
        with transaction.atomic():
            # The edit itself moves the public version when the commitment is public.
            self.overdue_noted = self.is_overdue
            self.save()
            if reminded is not None:
                self.reminded.set(reminded)
            self.edited(by=by)

    def edit_plan(
        self, *, expected_version: int, by, changes: dict, document=None, content_type: str = ""
    ) -> None:
        """A leader's edit of the commitment: only the fields they changed, and only if nobody
        saved since ``expected_version`` (else EditConflict, nothing written). A new evidence
        document (``document``; False removes it) is stored in the same transaction."""
        with transaction.atomic():
            self.edit(expected_version=expected_version, by=by, **changes)
            if document:
                self.evidence_document.save(document.name, document, save=False)
                self.evidence_content_type = content_type
            elif document is False:
                self.evidence_document = ""
                self.evidence_content_type = ""
            self.overdue_noted = self.is_overdue
            self.save(update_fields=["evidence_document", "evidence_content_type", "overdue_noted"])

    def note_overdue(self) -> bool:
        """Once a commitment passes its due date undone, the public page and the stored PDF
        report are rendered again to mark it: nothing else changed, so nothing else would
        move the campaign's public version. Once per commitment and due date."""
        with transaction.atomic():
            row = Commitment.objects.select_for_update().filter(pk=self.pk).first()
            if row is None or row.overdue_noted or not self.is_overdue:
                return False
            Commitment.objects.filter(pk=self.pk).update(overdue_noted=True)
            self.overdue_noted = True
            if self.is_published:
                self.campaign.public_changed()
        return True

    @property
    def public_title(self) -> str:
        return localized(self, "title")

    @property
    def owner_label(self) -> str:
        return self.owner_name or str(self.OwnerKind(self.owner_kind).label)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_overdue(self) -> bool:
        """Due before today in the local's zone and not done."""
        today = timezone.localdate(timezone.now(), zone_of(self.campaign.local))
        return not self.is_done and self.due_on < today

    @property
    def status_label(self) -> str:
        if self.is_overdue:
            return str(pgettext_lazy("commitment status", "Overdue"))
        return str(self.Status(self.status).label)

    @property
    def status_class(self) -> str:
        if self.is_overdue:
            return "badge-red"
        return {"done": "badge-ok", "under_way": "badge-warn"}.get(self.status, "")

    @property
    def of_what(self) -> str:
        if self.demand_id:
            return self.demand.public_title
        return self.agreement.public_title

    # What reminders read of the event they remind about (actions/reminders).
    @property
    def starts_at(self) -> datetime:
        zone = zone_of(self.campaign.local)
        return datetime.combine(self.due_on, time(REMINDER_HOUR), tzinfo=zone)

    @property
    def description(self) -> str:
        return str(_("Commitment of %(owner)s, due on this day.")) % {"owner": self.owner_label}
