"""Benchmark pages for partners: the portal of a partner whose organisation shares every
demand of the large local."""

from __future__ import annotations

PARTNER = "partner@scale.example"
ORGANISATION = "Partner organisation 000"


def _portal_partner() -> str:
    """The portal's reader, made here when the scale seed has none: one partner person of
    the first organisation, which co-authors some demands and reviews all the others."""
    from accounts.models import Membership, Role, User
    from demands.models import Demand
    from partners.models import Organisation

    organisation = Organisation.objects.get(
        local__campaigns__slug="scale-campaign", name=ORGANISATION
    )
    user = User.objects.filter(email=PARTNER).first()
    if user is None:
        user = User.objects.create_user(PARTNER, None)
        Membership.objects.create(
            user=user, local=organisation.local, role=Role.PARTNER, organisation=organisation
        )
    demands = Demand.objects.filter(campaign__slug="scale-campaign")
    organisation.shared_demands.add(*demands.exclude(coauthors=organisation))
    return PARTNER


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    """bench key -> (URL path, email to sign in as)."""
    return {"partner_portal": ("/partners/portal/", _portal_partner())}
