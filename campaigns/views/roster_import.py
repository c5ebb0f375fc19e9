"""The roster import: upload, sheet, column mapping, preview (with the leader's decisions
about unknown sites and problem rows), import, history, and undo within 30 days."""

import codecs
import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required
from campaigns.zones import shows

from ..forms import ImportDecisionsForm, MappingForm, RosterUploadForm, SheetForm
from ..models import Building, ImportBatch, Local
from ..roster import (
    FIELDS,
    LIST_FIRST,
    AlreadyImported,
    Preview,
    RosterError,
    _safe_cell,
    guess_mapping,
    parse_roster,
    preview_for,
    store_sheets,
)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    led = Local.objects.led_by(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None, locals_qs=led)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheets = parse_roster(upload.read(), upload.name)
        except RosterError as error:
            form.add_error("file", str(error))
        else:
            batch = ImportBatch(
                local=form.chosen_local,
                uploaded_by=request.user,
                original_name=upload.name[:255],
            )
            store_sheets(batch, sheets)
            if batch.sheet is None:
                return redirect("campaigns:import_sheet", pk=batch.pk)
            return redirect("campaigns:import_mapping", pk=batch.pk)
    recent = ImportBatch.objects.visible_to(request.user).filter(imported_at__isnull=False)[:5]
    return render(request, "campaigns/import_upload.html", {"form": form, "recent": recent})


def _pending_batch(request, pk) -> ImportBatch:
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    if batch.is_imported or not batch.file:
        raise Http404
    return batch


@shows(ImportBatch)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_sheet(request, pk):
    batch = _pending_batch(request, pk)
    form = SheetForm(request.POST or None, sheets=batch.sheets, initial={"sheet": batch.sheet})
    if request.method == "POST" and form.is_valid():
        if batch.sheet != form.cleaned_data["sheet"]:
            batch.sheet = form.cleaned_data["sheet"]
            batch.mapping = {}
            batch.site_choices = {}
            batch.skip_lines = []
            batch.save(update_fields=["sheet", "mapping", "site_choices", "skip_lines"])
        return redirect("campaigns:import_mapping", pk=batch.pk)
    return render(
        request,
        "campaigns/import_sheet.html",
        {"batch": batch, "form": form, "sheets": batch.sheets},
    )


@shows(ImportBatch)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    batch = _pending_batch(request, pk)
    if batch.sheet is None:
        return redirect("campaigns:import_sheet", pk=batch.pk)
    sheet = batch.sheets[batch.sheet]
    headers = sheet["headers"]
    initial = batch.mapping or guess_mapping(headers)
    form = MappingForm(
        request.POST or None,
        headers=headers,
        initial={**initial, "mark_missing_as_left": batch.mark_missing_as_left},
    )
    if request.method == "POST" and form.is_valid():
        batch.mapping = form.mapping
        batch.mark_missing_as_left = form.cleaned_data["mark_missing_as_left"]
        batch.save(update_fields=["mapping", "mark_missing_as_left"])
        return redirect("campaigns:import_preview", pk=batch.pk)
    sample = [dict(zip(headers, row, strict=False)) for row in sheet["sample"]]
    return render(
        request,
        "campaigns/import_mapping.html",
        {
            "batch": batch,
            "form": form,
            "headers": headers,
            "sample": sample,
            "sheet": sheet,
            "several_sheets": sum(not s["error"] for s in batch.sheets) > 1,
        },
    )


def _decisions_form(batch: ImportBatch, preview: Preview, data=None):
    by_you = [row.line for row in preview.skipped if row.line in set(batch.skip_lines)]
    shown = [row.line for row in preview.errors[:200]] + by_you[:200]
    sites = sorted(preview.unknown_sites, key=str.casefold)
    initial = {"skip": batch.skip_lines}
    for index, site in enumerate(sites):
        initial[f"site_{index}"] = batch.site_choices.get(site, "")
    form = ImportDecisionsForm(
        data,
        sites=sites,
        buildings=Building.objects.filter(local=batch.local),
        offered_lines=shown,
        problem_lines=[row.line for row in preview.errors],
        initial=initial,
    )
    for name, site in form.sites:
        count = preview.unknown_sites[site]
        form.fields[name].help_text = ngettext(
            "Not a building of this local: %(count)d row.",
            "Not a building of this local: %(count)d rows.",
            count,
        ) % {"count": count}
    return form


def _save_decisions(request, batch: ImportBatch) -> ImportDecisionsForm:
    form = _decisions_form(batch, preview_for(batch), request.POST)
    if form.is_valid():
        batch.site_choices = {
            site: choice
            for site, choice in {**batch.site_choices, **form.site_choices}.items()
            if choice
        }
        for name, site in form.sites:
            if name in request.POST and not form.cleaned_data[name]:
                batch.site_choices.pop(site, None)
        batch.skip_lines = form.skip_lines(batch.skip_lines)
        batch.save(update_fields=["site_choices", "skip_lines"])
    return form


@shows(ImportBatch)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    batch = _pending_batch(request, pk)
    if not batch.mapping:
        return redirect("campaigns:import_mapping", pk=batch.pk)
    if request.method == "POST":
        _save_decisions(request, batch)
        return redirect("campaigns:import_preview", pk=batch.pk)
    preview = preview_for(batch)
    form = _decisions_form(batch, preview)
    skipped_by_you = set(batch.skip_lines)
    return render(
        request,
        "campaigns/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "form": form,
            "errors": preview.errors[:200],
            "skipped": preview.skipped[:200],
            "skipped_by_you": skipped_by_you,
            "adds": preview.to_add[:LIST_FIRST],
            "updates": [
                {
                    "name": f"{preview.update_names[pk]['first_name']} "
                    f"{preview.update_names[pk]['last_name']}",
                    "fields": _field_labels(changed),
                }
                for pk, changed in preview.to_update[:LIST_FIRST]
            ],
            "leaving": preview.leaving[:LIST_FIRST],
            "list_first": LIST_FIRST,
        },
    )


def _field_labels(changed: dict) -> str:
    labels = {**dict(FIELDS), "building_id": dict(FIELDS)["building"], "left_at": _("back")}
    return ", ".join(str(labels[name]) for name in changed)


@shows(ImportBatch)
@login_required
@leader_required
@require_POST
def import_run(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if batch.is_imported:
        messages.info(request, _("This roster was already imported."))
        return redirect(batch)
    batch = _pending_batch(request, pk)
    form = _save_decisions(request, batch)
    confirm = form.cleaned_data.get("confirm") if form.is_valid() else None
    try:
        counts = batch.run(by=request.user, confirm=confirm)
    except AlreadyImported:
        messages.info(request, _("This roster was already imported."))
        return redirect(batch)
    except RosterError as error:
        messages.error(request, str(error))
        return redirect("campaigns:import_preview", pk=batch.pk)
    messages.success(
        request,
        _(
            "Roster imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged, "
            "%(left)d marked as having left."
        )
        % counts,
    )
    return redirect(batch)


def _csv_response(rows, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    response = HttpResponse(
        codecs.BOM_UTF8 + out.getvalue().encode(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@shows(ImportBatch)
@login_required
@leader_required
@require_GET
def import_changes(request, pk):
    """Everyone the previewed import would add, update or mark as left, as a spreadsheet."""
    batch = _pending_batch(request, pk)
    if not batch.mapping:
        return redirect("campaigns:import_mapping", pk=batch.pk)
    preview = preview_for(batch)
    rows = [[_("What changes"), _("Employee id"), _("Name"), _("Fields")]]
    for values in preview.to_add:
        rows.append(
            [
                _("added"),
                values.get("employee_id", ""),
                f"{values['first_name']} {values['last_name']}",
                "",
            ]
        )
    for pk_, changed in preview.to_update:
        member = preview.update_names[pk_]
        rows.append(
            [
                _("updated"),
                member.get("employee_id", ""),
                f"{member['first_name']} {member['last_name']}",
                _field_labels(changed),
            ]
        )
    for member in preview.leaving:
        rows.append(
            [
                _("marked as left"),
                member.get("employee_id", ""),
                f"{member['first_name']} {member['last_name']}",
                "",
            ]
        )
    return _csv_response(rows, f"import-{batch.pk}-changes.csv")


@shows(ImportBatch)
@login_required
@leader_required
@require_GET
def import_skipped(request, pk):
    """Every row left out (before the import: that would be; after: that was), and why."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if batch.is_imported:
        skipped = batch.skipped
    else:
        batch = _pending_batch(request, pk)
        if not batch.mapping:
            return redirect("campaigns:import_mapping", pk=batch.pk)
        preview = preview_for(batch)
        skipped = [
            {"line": row.line, "name": row.name, "reason": row.reason}
            for row in [*preview.skipped, *preview.errors]
        ]
        skipped.sort(key=lambda row: row["line"])
    rows = [[_("Line"), _("Name"), _("Why")]]
    rows += [[row["line"], row["name"], row["reason"]] for row in skipped]
    return _csv_response(rows, f"import-{batch.pk}-skipped.csv")


@login_required
@leader_required
@require_GET
def import_history(request):
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .filter(imported_at__isnull=False)
        .select_related("local", "uploaded_by", "undone_by")
        .order_by("-imported_at")
    )
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/import_history.html", {"page": page})


@shows(ImportBatch)
@login_required
@leader_required
@require_GET
def import_detail(request, pk):
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("local", "uploaded_by"),
        pk=pk,
    )
    if not batch.is_imported:
        return redirect("campaigns:import_preview", pk=batch.pk)
    return render(request, "campaigns/import_detail.html", {"batch": batch})


@shows(ImportBatch)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_undo(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if not batch.is_imported:
        raise Http404
    if not batch.can_undo:
        messages.error(request, _("This import can no longer be undone."))
        return redirect(batch)
    if request.method == "POST":
        try:
            summary = batch.undo(by=request.user)
        except RosterError as error:
            messages.error(request, str(error))
            return redirect(batch)
        messages.success(
            request,
            _(
                "Import undone. Back on the roster: %(back)d. Details put back: %(reverted)d. "
                "Added members removed: %(removed)d."
            )
            % summary,
        )
        if summary["kept"]:
            messages.warning(
                request,
                _(
                    "Added members kept because conversations, participation or other "
                    "records now refer to them: %(kept)d."
                )
                % summary,
            )
        return redirect(batch)
    return render(request, "campaigns/import_undo.html", {"batch": batch})
