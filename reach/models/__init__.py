"""People outside the member roster whom the campaign reaches, and what they agreed to.
Everything is importable from ``reach.models``."""

from .petitions import (
    Petition,
    PetitionQuerySet,
    organisation_of_via,
    via_token,
)
from .signatures import Delivery, Signature, SignatureQuerySet, duplicate_key
from .supporters import (
    Consent,
    ConsentQuerySet,
    Supporter,
    SupporterQuerySet,
    normalise_email,
)

__all__ = [
    "Delivery",
    "Petition",
    "PetitionQuerySet",
    "Signature",
    "SignatureQuerySet",
    "duplicate_key",
    "organisation_of_via",
    "via_token",
    "Consent",
    "ConsentQuerySet",
    "Supporter",
    "SupporterQuerySet",
    "normalise_email",
]
