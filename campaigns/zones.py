"""A local's time zone, applied by one mechanism for web requests and one for background work.

Datetimes are stored in UTC. A person reads them in the zone of the local the object belongs
to: requests get it from ``campaigns.middleware.LocalTimeMiddleware``, and background work that
renders text for a person (emails, the PDF, feed and calendar descriptions) runs inside
``local_time(local)``. Templates only format what the active zone already gives them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone


def zone_of(local) -> ZoneInfo:
    return ZoneInfo(local.timezone)


def local_time(local) -> timezone.override:
    """Within this block (or a function decorated with it) every date and time is the local's.

    ``local`` is a ``campaigns.models.Local``; ``None`` means the server's default zone.
    """
    return timezone.override(zone_of(local) if local is not None else None)
