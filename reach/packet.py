"""The delivery packet for a petition's target: the statement, the count by source and the
signers' names and postcodes, as a PDF and as a CSV. Never an email address or a phone
number: the packet is handed to the target and may be shown to anyone."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bargaining.report import html_to_pdf

from .models import Petition, Signature

# The only columns of a signer the packet carries.
COLUMNS = ("name", "postcode", "source")


def signer_rows(petition: Petition) -> list[dict[str, str]]:
    """Each counted signature in the order it came: name, postcode and how it was given."""
    sources = dict(Signature.Source.choices)
    rows = (
        Signature.objects.counted()
        .filter(petition=petition)
        .order_by("confirmed_at", "pk")
        .values_list(
            "supporter__name",
            "supporter__member__first_name",
            "supporter__member__last_name",
            "supporter__postcode",
            "source",
        )
    )
    return [
        {
            "name": name or f"{first or ''} {last or ''}".strip(),
            "postcode": postcode,
            "source": str(sources[source]),
        }
        for name, first, last, postcode, source in rows
    ]


def packet_pdf(petition: Petition) -> bytes:
    rows = signer_rows(petition)
    html = render_to_string(
        "reach/pdf/packet.html",
        {
            "petition": petition,
            "text": petition.text_for(),
            "counts": petition.counts(),
            "rows": rows,
            "generated_at": timezone.now(),
        },
    )
    pdf, _pages = html_to_pdf(html)
    return pdf


def packet_csv(petition: Petition) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Full name"), _("ZIP code"), _("Source")])
    for row in signer_rows(petition):
        writer.writerow([_safe(row[column]) for column in COLUMNS])
    return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
