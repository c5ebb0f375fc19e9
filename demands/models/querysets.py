from __future__ import annotations

from django.db import models

from accounts.access import roles_for


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user) -> DemandQuerySet:
        """Leaders see their locals' demands; stewards read them; a partner person sees the
        demands their organisation co-authors or that were shared with it."""
        roles = roles_for(user)
        visible = models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
        if roles.organisation_ids:
            visible |= self._of_organisations("coauthors", roles.organisation_ids)
            visible |= self._of_organisations("shared_with", roles.organisation_ids)
        return self.filter(visible)

    def published(self) -> DemandQuerySet:
        return self.filter(published_at__isnull=False)

    def editable_by(self, user) -> DemandQuerySet:
        """Leaders of the local and the partner people of co-authoring organisations."""
        roles = roles_for(user)
        editable = models.Q(campaign__local_id__in=roles.led_local_ids)
        if roles.organisation_ids:
            editable |= self._of_organisations("coauthors", roles.organisation_ids)
        return self.filter(editable)

    def _of_organisations(self, relation: str, organisation_ids) -> models.Q:
        """The demands linked to these organisations through ``relation``, as a subquery: a
        join would repeat each demand once per link and need a DISTINCT over every column,
        and planning those joins took longer than running the demand page's query."""
        through = getattr(self.model, relation).through.objects
        return models.Q(
            pk__in=through.filter(organisation_id__in=organisation_ids).values("demand_id")
        )
