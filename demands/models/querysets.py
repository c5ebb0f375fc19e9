from __future__ import annotations

from django.db import models

from accounts.access import roles_for


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user) -> DemandQuerySet:
        """Leaders see their locals' demands; stewards read them; a partner person sees the
        demands their organisation co-authors or that were shared with it."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
            | models.Q(coauthors__in=roles.organisation_ids)
            | models.Q(shared_with__in=roles.organisation_ids)
        ).distinct()

    def published(self) -> DemandQuerySet:
        return self.filter(published_at__isnull=False)

    def editable_by(self, user) -> DemandQuerySet:
        """Leaders of the local and the partner people of co-authoring organisations."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids)
            | models.Q(coauthors__in=roles.organisation_ids)
        ).distinct()
