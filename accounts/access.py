"""Who may see what: the one place that turns a signed-in user into their scope.

Every model's ``visible_to(user)`` queryset method starts from ``roles_for(user)``, so the
rules live here and in those methods, never in templates. The roles are loaded once per
request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Roles:
    led_local_ids: frozenset[int] = frozenset()
    stewarded_local_ids: frozenset[int] = frozenset()
    partner_local_ids: frozenset[int] = frozenset()
    building_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    memberships: tuple = field(default=(), compare=False)

    @property
    def local_ids(self) -> frozenset[int]:
        return self.led_local_ids | self.stewarded_local_ids | self.partner_local_ids

    @property
    def is_leader(self) -> bool:
        return bool(self.led_local_ids)

    @property
    def is_steward(self) -> bool:
        return bool(self.stewarded_local_ids)

    @property
    def is_partner(self) -> bool:
        return bool(self.partner_local_ids)

    def leads(self, local_id: int) -> bool:
        return local_id in self.led_local_ids

    def stewards(self, building_id: int) -> bool:
        return building_id in self.building_ids

    @property
    def must_use_two_factor(self) -> bool:
        """A leader of a local that requires two-factor sign-in of its leaders."""
        from .models import Role

        return any(m.role == Role.LEADER and m.local.require_leader_mfa for m in self.memberships)


NO_ROLES = Roles()


def roles_for(user) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_commongood_roles", None)
    if cached is not None:
        return cached
    from .models import Membership, Role

    memberships = tuple(
        Membership.objects.filter(user=user)
        .select_related("local", "organisation")
        .prefetch_related("buildings")
    )

    def locals_as(role: str) -> frozenset[int]:
        return frozenset(m.local_id for m in memberships if m.role == role)

    roles = Roles(
        led_local_ids=locals_as(Role.LEADER),
        stewarded_local_ids=locals_as(Role.STEWARD),
        partner_local_ids=locals_as(Role.PARTNER),
        building_ids=frozenset(
            b.pk for m in memberships if m.role == Role.STEWARD for b in m.buildings.all()
        ),
        organisation_ids=frozenset(
            m.organisation_id for m in memberships if m.role == Role.PARTNER
        ),
        memberships=memberships,
    )
    user._commongood_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles after a membership changed within the same request."""
    if hasattr(user, "_commongood_roles"):
        del user._commongood_roles


def leader_required(view):
    """Let only leaders of some local through; object views still scope by ``led_by``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not roles_for(request.user).is_leader:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
