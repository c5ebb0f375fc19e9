from __future__ import annotations

from broadcasts.models import Broadcast, BroadcastText

ENGLISH = "Our bargaining update. Read more: https://example.org/update and come Thursday."
SPANISH = "Nuestra actualización. Más: https://example.org/update y vengan el jueves."


def make_broadcast(campaign, *, spanish: bool = True, **extra) -> Broadcast:
    values = {"name": "November update", "audience": Broadcast.Audience.MEMBERS}
    values.update(extra)
    broadcast = Broadcast.objects.create(campaign=campaign, **values)
    BroadcastText.objects.create(
        broadcast=broadcast, language="en", subject="Bargaining update", body=ENGLISH
    )
    if spanish:
        BroadcastText.objects.create(
            broadcast=broadcast, language="es", subject="Actualización", body=SPANISH
        )
    return broadcast
