"""Actions as iCalendar events: for each person's calendar feed and the file attached to an
RSVP's confirmation."""

from __future__ import annotations

import icalendar
from django.conf import settings


def calendar_event(action) -> icalendar.Event:
    host = settings.SITE_URL.split("://", 1)[-1]
    event = icalendar.Event()
    event.add("uid", f"action-{action.pk}@{host}")
    event.add("summary", action.title)
    event.add("dtstart", action.starts_at)
    event.add("dtend", action.ends_at)
    event.add("dtstamp", action.updated_at)
    if action.place:
        event.add("location", action.place)
    if action.description:
        event.add("description", action.description)
    event.add("url", settings.SITE_URL + action.get_absolute_url())
    event.add("status", "CANCELLED" if action.is_cancelled else "CONFIRMED")
    return event


def calendar(name: str, actions) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Common Good//actions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for action in actions:
        cal.add_component(calendar_event(action))
    return cal


def calendar_file(action) -> bytes:
    """One action as a file a calendar program adds with one click."""
    cal = calendar(action.title, [action])
    cal.add("method", "PUBLISH")
    return cal.to_ical()
