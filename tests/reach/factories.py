"""Rows of the reach app for the tests."""

from __future__ import annotations

import itertools

from reach.models import Supporter

_numbers = itertools.count(1)


def make_supporter(local, **extra) -> Supporter:
    n = next(_numbers)
    values = {"name": f"Supporter {n}", "email": f"supporter{n}@example.net", "postcode": "95815"}
    values.update(extra)
    return Supporter.objects.create(local=local, **values)


def make_petition(campaign, *, published: bool = True, target=None, **extra):
    """A petition to the school board, public unless told otherwise, on a public page."""
    from datetime import date

    from reach.models import Petition
    from tests.bargaining.factories import make_public_page
    from tests.demands.factories import make_target

    make_public_page(campaign)
    n = next(_numbers)
    values = {
        "target": target or make_target(campaign),
        "slug": f"petition-{n}",
        "goal": 100,
        "ends_on": date(2027, 3, 1),
    }
    values.update(extra)
    texts = {
        "en": ("Fund counselors in every school", "We ask the board to fund counselors."),
        "es": ("Consejeros en cada escuela", "Pedimos a la junta que financie consejeros."),
    }
    petition = Petition.start(campaign, by=None, texts=texts, **values)
    if published:
        petition.publish()
    return petition
