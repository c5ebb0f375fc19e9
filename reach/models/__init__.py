"""People outside the member roster whom the campaign reaches, and what they agreed to.
Everything is importable from ``reach.models``."""

from .supporters import (
    Consent,
    ConsentQuerySet,
    Supporter,
    SupporterQuerySet,
    normalise_email,
)

__all__ = [
    "Consent",
    "ConsentQuerySet",
    "Supporter",
    "SupporterQuerySet",
    "normalise_email",
]
