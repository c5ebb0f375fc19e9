"""What the coalition and the leaders do with a demand as a whole: which organisations decide on
it or may amend it, merging a duplicate into the demand that stays, and the leaders' settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


class TransitionError(ValidationError):
    """A status change the workflow does not allow, with a message for the person."""


class Merging:
    """Demand's methods on the demand as a whole (a mixin, so that ``demand.py`` stays short)."""

    def deciding_organisation_ids(self) -> set[int]:
        """The organisations that share the demand (co-authors, shared with, endorsers)."""
        reached = {o.pk for o in self.coauthors.all()} | {o.pk for o in self.shared_with.all()}
        return reached | {e.organisation_id for e in self.endorsements.all()}

    def proposing_organisation_ids(self, user) -> set[int]:
        """The person's organisations the demand reached (co-authors or shared with)."""
        reached = {o.pk for o in self.coauthors.all()} | {o.pk for o in self.shared_with.all()}
        return reached & roles_for(user).organisation_ids

    def merge_into(self, kept, *, by, why: str = "") -> None:
        """Merge this duplicate into ``kept``; both keep their histories, the rest moves."""
        if kept.pk == self.pk or kept.campaign_id != self.campaign_id:
            raise TransitionError(_("Choose another demand of the same campaign to keep."))
        if self.merged_into_id or kept.merged_into_id:
            raise TransitionError(_("A merged demand cannot be merged again."))
        if self.Status.WITHDRAWN not in self.TRANSITIONS[self.status]:
            raise TransitionError(_("A demand with an outcome cannot be merged."))
        with transaction.atomic():
            for name in ("coauthors", "shared_with", "decision_makers"):
                getattr(kept, name).add(*getattr(self, name).all())
            taken = kept.endorsements.values("organisation_id")
            self.endorsements.exclude(organisation_id__in=taken).update(demand=kept)
            self.endorsements.all().delete()
            self.amendments.update(demand=kept)
            if self.is_published:
                self.unpublish(by=by)
            self._move(
                self.Status.WITHDRAWN,
                by=by,
                why=why or _("Merged into “%(title)s”.") % {"title": kept.title},
            )
            self.merged_into = kept
            type(self).objects.filter(pk=self.pk).update(merged_into=kept)

    def update_settings(self, *, category: str, priority: int) -> None:
        """The leaders' settings; the public page orders demands by priority."""
        with transaction.atomic():
            changed = (category, priority) != (self.category, self.priority)
            self.category, self.priority = category, priority
            type(self).objects.filter(pk=self.pk).update(category=category, priority=priority)
            if changed and self.is_published:
                self.campaign.public_changed()
