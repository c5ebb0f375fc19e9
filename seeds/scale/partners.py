"""Partners for a scale local (200 organisations in the large one) with contacts, sessions and
support."""

from __future__ import annotations

from datetime import timedelta

from partners.models import Contact, ListeningSession, Organisation, Support
from seeds.factories import build_organisation
from seeds.scale import LARGE


def seed(context: dict) -> None:
    local, campaign, leader = context["local"], context["campaign"], context["leader"]
    size = context.get("size", LARGE)
    kinds, stages = Organisation.Kind.values, Organisation.Stage.values
    Organisation.objects.bulk_create(
        build_organisation(
            local,
            n,
            name=f"Partner organisation {n:03d}",
            kind=kinds[n % len(kinds)],
            stage=stages[n % len(stages)],
            cares_about="Class size, nurses, housing for students.",
        )
        for n in range(size.organisations)
    )
    organisations = list(Organisation.objects.filter(local=local).order_by("pk"))
    Contact.objects.bulk_create(
        Contact(organisation=o, name=f"Contact {o.pk}", role="Chair") for o in organisations
    )
    start = local.today() - timedelta(days=300)
    ListeningSession.objects.bulk_create(
        ListeningSession(
            organisation=o,
            title=f"Listening session {n}",
            held_on=start + timedelta(days=n),
            attendance=20 + n % 40,
            created_by=leader,
        )
        for n, o in enumerate(organisations)
    )
    Support.objects.bulk_create(
        Support(
            campaign=campaign,
            organisation=o,
            kind=Support.Kind.values[n % 3],
            title=f"Support from {o.name}",
            received_on=start + timedelta(days=n),
            created_by=leader,
        )
        for n, o in enumerate(organisations)
    )
    context["organisations"] = organisations
