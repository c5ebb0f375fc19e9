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
