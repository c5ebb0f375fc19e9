"""The reach app's objects and form bodies for the access matrix (tests/test_access_matrix.py),
on the A/X side of the cast."""

from __future__ import annotations

import time

from reach.confirmation import confirm_token
from reach.forms import SignForm
from reach.models import Signature
from tests.demands.factories import make_target

from .factories import make_petition, make_supporter


def petition_kwargs(cast) -> dict:
    """A published petition of the cast's campaign, on its public page."""
    return {"pk": make_petition(cast.campaign).pk}


def public_petition_kwargs(cast) -> dict:
    petition = make_petition(cast.campaign)
    return {"slug": cast.campaign.slug, "petition_slug": petition.slug}


def confirm_kwargs(cast) -> dict:
    kwargs = public_petition_kwargs(cast)
    petition = cast.campaign.petitions.get(slug=kwargs["petition_slug"])
    signature = Signature.objects.create(
        petition=petition, supporter=make_supporter(cast.local), source="online"
    )
    return {**kwargs, "token": confirm_token(signature.pk)}


def petition_form(cast, kwargs) -> dict:
    target = cast.campaign.targets.first() or make_target(cast.campaign)
    return {
        "target": target.pk,
        "slug": f"matrix-{time.monotonic_ns()}",
        "goal": "500",
        "ends_on": "2027-03-01",
        "title_en": "Counselors now",
        "statement_en": "We ask the board to fund counselors.",
    }


def sign_form(cast, kwargs) -> dict:
    petition = cast.campaign.petitions.get(slug=kwargs["petition_slug"])
    return {
        "name": "Pat Parent",
        "email": f"pat{time.monotonic_ns()}@example.org",
        "postcode": "95815",
        "issued": SignForm.stamp(petition.pk, at=time.time() - 10),
    }


def paper_form(cast, kwargs) -> dict:
    return {
        "row-TOTAL_FORMS": "2",
        "row-INITIAL_FORMS": "0",
        "row-0-name": "Lee Park",
        "row-0-postcode": "95815",
        "row-1-name": "Sam Ortiz",
        "row-1-email": f"sam{time.monotonic_ns()}@example.org",
        "save": "1",
    }


def delivery_form(cast, kwargs) -> dict:
    return {"delivered_on": "2026-11-20", "delivered_to": "The board president"}
