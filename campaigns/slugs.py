"""Web addresses made of a campaign's (or a local's) short name, and the words they may not be.

``/campaigns/<slug>/`` sits beside fixed addresses such as ``/campaigns/new/``: a campaign
called "new" would never be reachable. The words are read from the URLconf, wherever a slug
takes the place of a fixed segment, so a fixed address added later is reserved without a list
to keep up to date."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def _routes(patterns, prefix: tuple[str, ...] = ()):
    """Every route of the URLconf as its segments, e.g. ("campaigns", "<slug:slug>", "plan")."""
    for entry in patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:  # A regular expression (static files in development): no slugs.
            continue
        segments = prefix + tuple(part for part in route.split("/") if part)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, segments)
        elif isinstance(entry, URLPattern):
            yield segments


def reserved_slugs() -> set[str]:
    """The fixed segments that share a position with a ``<slug:…>`` segment."""
    routes = list(_routes(get_resolver().url_patterns))
    slug_prefixes = {
        route[:index]
        for route in routes
        for index, segment in enumerate(route)
        if segment.startswith("<slug:")
    }
    return {
        route[len(prefix)]
        for route in routes
        for prefix in slug_prefixes
        if len(route) > len(prefix)
        and route[: len(prefix)] == prefix
        and "<" not in route[len(prefix)]
    }


def validate_free_slug(value: str) -> None:
    if value.lower() in reserved_slugs():
        raise ValidationError(
            _("“%(value)s” is already a page of the app; choose another web address."),
            code="reserved",
            params={"value": value},
        )


def suggest_slug(name: str, taken: set[str], max_length: int = 50) -> str:
    """A slug for ``name`` that is neither reserved nor in ``taken``: "new", "new-2"..."""
    base = slugify(name)[:max_length].strip("-") or "campaign"
    reserved = reserved_slugs()
    candidate, number = base, 1
    while candidate in reserved or candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
