"""Partners for the large local: 200 organisations with contacts, sessions and support."""

from __future__ import annotations

from datetime import date, timedelta

from partners.models import Contact, ListeningSession, Organisation, Support

ORGANISATIONS = 200


def seed(context: dict) -> None:
    local, campaign, leader = context["local"], context["campaign"], context["leader"]
    kinds, stages = Organisation.Kind.values, Organisation.Stage.values
    Organisation.objects.bulk_create(
        Organisation(
            local=local,
            name=f"Partner organisation {n:03d}",
            kind=kinds[n % len(kinds)],
            stage=stages[n % len(stages)],
            cares_about="Class size, nurses, housing for students.",
        )
        for n in range(ORGANISATIONS)
    )
    organisations = list(Organisation.objects.filter(local=local).order_by("pk"))
    Contact.objects.bulk_create(
        Contact(organisation=o, name=f"Contact {o.pk}", role="Chair") for o in organisations
    )
    start = date.today() - timedelta(days=300)
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
