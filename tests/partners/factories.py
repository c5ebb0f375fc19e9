"""Listening sessions, findings and support for tests."""

from __future__ import annotations

from datetime import date

from partners.models import Finding, ListeningSession, Support

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def make_session(organisation, **extra) -> ListeningSession:
    values = {"title": "Parents' night at Oak Grove", "held_on": date(2026, 3, 4), "attendance": 40}
    values.update(extra)
    return ListeningSession.objects.create(organisation=organisation, **values)


def make_finding(session, text: str = "No nurse on campus three days a week.", **extra) -> Finding:
    return Finding.objects.create(session=session, text=text, **extra)


def make_support(organisation, campaign, **extra) -> Support:
    values = {
        "title": "Letter of support",
        "kind": Support.Kind.LETTER,
        "received_on": date(2026, 4, 1),
    }
    values.update(extra)
    return Support.objects.create(organisation=organisation, campaign=campaign, **values)
