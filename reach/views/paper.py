"""Typing in a paper sheet of signatures: a grid of rows, checked for people who already
signed (and for the same person twice on the sheet) before anything is saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.access import roles_for
from campaigns.zones import shows

from ..forms import PaperSheet
from ..models import Petition, Signature, duplicate_key, normalise_email
from .petitions import visible_petition


def _already_signed(petition: Petition, rows: list[dict]) -> set[str]:
    """The keys of the sheet's rows whose person has signed already: two queries, whatever
    the number of signatures."""
    emails = {normalise_email(row["email"]) for row in rows if row["email"]}
    keys = set()
    if emails:
        found = Signature.objects.filter(
            petition=petition, supporter__email__in=emails
        ).values_list("supporter__email", flat=True)
        keys |= {f"@{email}" for email in found}
    postcodes = {row["postcode"].strip() for row in rows if not row["email"]}
    if postcodes:
        found = Signature.objects.filter(
            petition=petition, supporter__email="", supporter__postcode__in=postcodes
        ).values_list("supporter__name", "supporter__postcode")
        keys |= {duplicate_key(name, "", postcode) for name, postcode in found}
    return keys


def _check(petition: Petition, sheet) -> tuple[list[dict], list[tuple]]:
    """The rows to save, and each form with what is wrong with its row ('' when nothing)."""
    filled = [(form, form.cleaned_data) for form in sheet.forms if not form.is_blank]
    signed = _already_signed(petition, [data for _form, data in filled])
    first_row: dict[str, int] = {}
    to_save, flagged = [], []
    for number, form in enumerate(sheet.forms, start=1):
        if form.is_blank:
            flagged.append((form, ""))
            continue
        data = form.cleaned_data
        key = duplicate_key(data["name"], data["email"], data["postcode"])
        if key in signed:
            flagged.append((form, _("Already signed: not saved again.")))
        elif key in first_row:
            flagged.append(
                (form, _("Same person as row %(row)s: saved once.") % {"row": first_row[key]})
            )
        else:
            first_row[key] = number
            to_save.append(data)
            flagged.append((form, ""))
    return to_save, flagged


@shows(Petition)
@login_required
@require_http_methods(["GET", "POST"])
def paper_sheet(request, pk):
    petition = visible_petition(request, pk)
    if not petition.can_enter_paper(request.user):
        raise PermissionDenied
    sheet = PaperSheet(request.POST or None, prefix="row")
    rows = [(form, "") for form in sheet.forms]
    checked = False
    if request.method == "POST" and sheet.is_valid():
        to_save, rows = _check(petition, sheet)
        checked = True
        if "save" in request.POST:
            organisation = _organisation_of(request.user, petition)
            added = petition.add_paper_signatures(
                to_save, by=request.user, organisation=organisation
            )
            skipped = sum(1 for _form, problem in rows if problem)
            message = ngettext(
                "%(count)s paper signature saved.", "%(count)s paper signatures saved.", added
            ) % {"count": added}
            if skipped:
                message += " " + ngettext(
                    "%(count)s duplicate skipped.", "%(count)s duplicates skipped.", skipped
                ) % {"count": skipped}
            messages.success(request, message)
            return redirect(petition)
        ready = len(to_save)
    else:
        ready = 0
    return render(
        request,
        "reach/paper_sheet.html",
        {
            "petition": petition,
            "sheet": sheet,
            "rows": rows,
            "checked": checked,
            "ready": ready,
            "duplicates": sum(1 for _form, problem in rows if problem),
        },
    )


def _organisation_of(user, petition: Petition):
    """A partner's sheet is credited to their organisation; a leader's or steward's to none."""
    roles = roles_for(user)
    if roles.leads(petition.campaign.local_id):
        return None
    for membership in roles.memberships:
        if membership.organisation_id and membership.local_id == petition.campaign.local_id:
            return membership.organisation
    return None
