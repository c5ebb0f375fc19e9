"""Amendments: a change to a demand's text or assessment that a partner proposes and the
demand's authors accept (it becomes a revision) or decline."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import EditConflict

from .coalition import CoalitionError
from .demand import Demand
from .fields import REVISION_FIELDS


class AmendmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AmendmentQuerySet:
        """Whoever sees the demand sees its amendments."""
        return self.filter(demand__in=Demand.objects.visible_to(user))


class Amendment(models.Model):
    local_path = "demand__campaign__local"  # the zone its times are shown in

    class Status(models.TextChoices):
        PENDING = "pending", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="amendments")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="amendments"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    # The version of the demand the change was written against, and the fields it changes.
    base_version = models.PositiveIntegerField()
    changes = models.JSONField(default=dict)
    reason = models.TextField(_("why this change"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    revision = models.ForeignKey(
        "DemandRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.demand_id} · {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("demands:amendment", args=[self.pk])

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_outdated(self) -> bool:
        """The demand changed since the amendment was written: it must be rebased first."""
        return self.is_pending and self.base_version != self.demand.version

    @classmethod
    def propose(cls, demand: Demand, *, organisation, changes: dict, reason: str, by, version):
        """A partner of an organisation the demand reached proposes new text for some fields."""
        if organisation.pk not in demand.proposing_organisation_ids(by):
            raise CoalitionError(_("Your organisation cannot propose changes to this demand."))
        changed = {
            name: value
            for name, value in changes.items()
            if name in REVISION_FIELDS and value != getattr(demand, name)
        }
        if not changed:
            raise CoalitionError(_("The amendment changes nothing: edit at least one field."))
        if not reason.strip():
            raise CoalitionError(_("Say why the demand should change."))
        if version != demand.version:
            raise CoalitionError(
                _("The demand changed while you wrote: start again from the current text.")
            )
        return cls.objects.create(
            demand=demand,
            organisation=organisation,
            proposed_by=by,
            base_version=version,
            changes=changed,
            reason=reason,
        )

    def base_text(self) -> dict[str, str]:
        """The text the amendment changes, as the demand read when it was written."""
        revision = self.demand.revisions.filter(number=self.base_version).first()
        snapshot = revision.snapshot if revision else self.demand.snapshot()
        return {name: snapshot.get(name, "") for name in self.changes}

    def can_decide(self, user) -> bool:
        return self.is_pending and self.demand.can_edit(user)

    def can_withdraw(self, user) -> bool:
        return self.is_pending and self.organisation_id in roles_for(user).organisation_ids

    def _decide(self, status: str, *, by, **values) -> None:
        updated = Amendment.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=status, decided_by=by, decided_at=timezone.now(), **values
        )
        if not updated:
            raise CoalitionError(_("The amendment was already decided."))
        self.refresh_from_db()

    def accept(self, *, by):
        """The amendment becomes the demand's next revision, attributed to its proposer."""
        if not self.can_decide(by):
            raise CoalitionError(_("Only the demand’s authors accept an amendment."))
        with transaction.atomic():
            try:
                revision = self.demand.edit(
                    changes={**self.demand.snapshot(), **self.changes},
                    by=self.proposed_by,
                    expected_version=self.base_version,
                )
            except EditConflict:
                raise CoalitionError(
                    _("The demand changed since this amendment was written: rebase or decline it.")
                ) from None
            self._decide(self.Status.ACCEPTED, by=by, revision=revision)

    def decline(self, *, by, reason: str) -> None:
        if not self.can_decide(by):
            raise CoalitionError(_("Only the demand’s authors decline an amendment."))
        if not reason.strip():
            raise CoalitionError(_("Say why the amendment is declined."))
        self._decide(self.Status.DECLINED, by=by, decline_reason=reason)

    def withdraw(self, *, by) -> None:
        if not self.can_withdraw(by):
            raise CoalitionError(_("Only the proposing organisation withdraws its amendment."))
        self._decide(self.Status.WITHDRAWN, by=by)

    def rebase(self, *, by) -> None:
        """Write the same proposed text against the demand as it reads now."""
        if not self.can_withdraw(by):
            raise CoalitionError(_("Only the proposing organisation rebases its amendment."))
        current = Demand.objects.get(pk=self.demand_id)
        Amendment.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            base_version=current.version
        )
        self.refresh_from_db()
