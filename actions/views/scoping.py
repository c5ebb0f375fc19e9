"""What every actions view starts from: the object scoped to the user and the edit check.
The local's time zone comes from campaigns.middleware.LocalTimeMiddleware."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import roles_for
from campaigns.models import Campaign

from ..models import Action


def campaign_for_leader(request, slug) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    return campaign


def visible_action(request, pk) -> Action:
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "campaign__local", "tactic", "target"
        ),
        pk=pk,
    )
    return action


def editable_action(request, pk) -> Action:
    action = visible_action(request, pk)
    if not action.can_edit(request.user):
        raise PermissionDenied
    return action


def partner_organisation(request, action: Action):
    """The partner's organisation if it may sign people up for this action."""
    roles = roles_for(request.user)
    if not roles.organisation_ids or not action.takes_rsvps:
        return None
    for membership in roles.memberships:
        if membership.organisation_id and membership.local_id == action.campaign.local_id:
            invited = action.invited_organisations.filter(pk=membership.organisation_id).exists()
            if invited or action.is_public:
                return membership.organisation
    return None
