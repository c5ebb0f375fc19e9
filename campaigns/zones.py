"""A local's time zone, applied by one mechanism for web requests and one for background work.

Datetimes are stored in UTC. A person reads them in the zone of the local the object belongs
to: requests get it from ``campaigns.middleware.LocalTimeMiddleware`` (which asks
``zone_for_request``), and background work that renders text for a person (emails, the PDF,
feed and calendar descriptions) runs inside ``local_time(local)``. Templates only format what
the active zone already gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


def validate_zone_name(value: str) -> None:
    """A local's zone must be one every page can be shown in."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name. Use one like America/Los_Angeles."),
            params={"value": value},
            code="invalid_zone",
        ) from None


def zone_of(local) -> ZoneInfo:
    return ZoneInfo(local.timezone)


def local_time(local) -> timezone.override:
    """Within this block (or a function decorated with it) every date and time is the local's.

    ``local`` is a ``campaigns.models.Local``; ``None`` means the server's default zone.
    """
    return timezone.override(zone_of(local) if local is not None else None)


def shows(model: type[models.Model] | Mapping[str, type[models.Model]], by: str = "pk") -> Callable:
    """Declare the model of the one object a view shows (found by the URL argument ``by``), so
    that a person in locals of several zones reads it in the zone of its own local.

    A mapping picks the model by the view's ``kind`` argument. The decorator only marks the
    view; ``LocalTimeMiddleware`` reads the mark.
    """

    def mark(view: Callable) -> Callable:
        view.shows_model = (model, by)
        return view

    return mark


def local_path(model: type[models.Model]) -> str:
    """The lookup from a model to its local: ``local``, ``campaign__local``, or what the model
    declares as ``local_path``."""
    declared = getattr(model, "local_path", None)
    if declared is not None:
        return declared
    if model._meta.label == "campaigns.Local":
        return ""
    names = {field.name for field in model._meta.fields}
    if "local" in names:
        return "local"
    if "campaign" in names:
        return "campaign__local"
    raise LookupError(f"{model.__name__} needs a local_path to find its local")


def _shown_object_zone(model, by: str, kwargs: dict) -> str | None:
    from .models import Campaign

    if isinstance(model, Mapping):
        model = model.get(kwargs.get("kind", ""))
        if model is None:
            return None
    if by in kwargs:
        lookup = {"slug" if by == "slug" else "pk": kwargs[by]}
    elif "slug" in kwargs:
        # A view that shows one object also creates one under a campaign named by its slug.
        model, lookup = Campaign, {"slug": kwargs["slug"]}
    else:
        return None
    path = local_path(model)
    field = f"{path}__timezone" if path else "timezone"
    return model._default_manager.filter(**lookup).values_list(field, flat=True).first()


def zone_for_request(request, view: Callable, kwargs: dict) -> ZoneInfo | None:
    """The zone a request is shown in; ``None`` for the server's default.

    A person whose locals share one zone (nearly everyone) reads everything in it, at no
    query. Otherwise (locals in several zones, or a visitor who is not signed in) the zone is
    that of the object the page shows: the object a view declares with ``@shows``, or for a
    signed-in person the campaign named by a ``slug``; failing both, the zone of the person's
    first local. Public pages that serve one shared copy render it in ``local_time`` instead.
    """
    memberships = roles_for(getattr(request, "user", None)).memberships
    zones = {membership.local.timezone for membership in memberships}
    if len(zones) == 1:
        return ZoneInfo(zones.pop())
    name = None
    shown = getattr(view, "shows_model", None)
    if shown is not None:
        name = _shown_object_zone(*shown, kwargs)
    elif memberships and "slug" in kwargs:
        from .models import Campaign

        name = _shown_object_zone(Campaign, "slug", kwargs)
    if name is None and memberships:
        name = memberships[0].local.timezone
    return ZoneInfo(name) if name else None
