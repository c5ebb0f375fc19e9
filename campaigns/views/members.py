"""Members: list, detail, edit, CSV export and the roster import (upload, mapping, preview,
import)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for

from ..forms import (
    MappingForm,
    MemberForm,
    RosterUploadForm,
)
from ..models import (
    Building,
    ImportBatch,
    Local,
    Member,
)
from ..roster import (
    RosterError,
    apply_preview,
    build_preview,
    export_members,
    guess_mapping,
    read_roster,
)


def _require_member_access(request):
    roles = roles_for(request.user)
    if not (roles.is_leader or roles.is_steward):
        raise PermissionDenied
    return roles


@login_required
@require_GET
def member_list(request):
    roles = _require_member_access(request)
    members = Member.objects.visible_to(request.user).select_related("building")
    buildings = Building.objects.visible_to(request.user)
    search = request.GET.get("q", "").strip()
    if search:
        members = members.search(search)
    building_id = request.GET.get("building", "")
    if building_id.isdigit():
        members = members.filter(building_id=building_id)
    level = request.GET.get("level", "")
    if level == "none":
        members = members.filter(support_level__isnull=True)
    elif level.isdigit():
        members = members.filter(support_level=level)
    if request.GET.get("left") != "1":
        members = members.current()
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/member_list.html",
        {
            "page": page,
            "buildings": buildings,
            "levels": Member.SupportLevel.choices,
            "filters": {"q": search, "building": building_id, "level": level},
            "is_leader": roles.is_leader,
        },
    )


@login_required
@require_GET
def member_detail(request, pk):
    _require_member_access(request)
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("building", "local"), pk=pk
    )
    conversations = member.conversations.select_related("steward")[:50]
    participations = member.structure_tests.select_related("test").order_by("-test__held_on")
    return render(
        request,
        "campaigns/member_detail.html",
        {"member": member, "conversations": conversations, "participations": participations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    _require_member_access(request)
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    buildings = Building.objects.visible_to(request.user).filter(local_id=member.local_id)
    form = MemberForm(request.POST or None, instance=member, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s saved.") % {"name": member.name})
        return redirect(member)
    return render(request, "campaigns/member_form.html", {"member": member, "form": form})


@login_required
@leader_required
@require_GET
def member_export(request):
    members = Member.objects.filter(local__in=Local.objects.led_by(request.user)).order_by(
        "building__name", "last_name", "first_name"
    )
    dataset = export_members(members)
    response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
    return response


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    led = Local.objects.led_by(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None, locals_qs=led)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            read_roster(content, upload.name)
        except RosterError as error:
            form.add_error("file", str(error))
        else:
            batch = ImportBatch(
                local=form.chosen_local,
                uploaded_by=request.user,
                original_name=upload.name[:255],
            )
            suffix = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            batch.file.save(f"roster-{timezone.now():%Y%m%d%H%M%S}.{suffix}", ContentFile(content))
            return redirect("campaigns:import_mapping", pk=batch.pk)
    recent = ImportBatch.objects.visible_to(request.user).filter(imported_at__isnull=False)[:5]
    return render(request, "campaigns/import_upload.html", {"form": form, "recent": recent})


def _pending_batch(request, pk) -> tuple[ImportBatch, object]:
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("local"), pk=pk
    )
    if batch.is_imported or not batch.file:
        raise Http404
    with batch.file.open("rb") as handle:
        content = handle.read()
    return batch, read_roster(content, batch.original_name)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    batch, dataset = _pending_batch(request, pk)
    initial = batch.mapping or guess_mapping(dataset.headers)
    form = MappingForm(
        request.POST or None,
        headers=dataset.headers,
        initial={**initial, "mark_missing_as_left": batch.mark_missing_as_left},
    )
    if request.method == "POST" and form.is_valid():
        batch.mapping = form.mapping
        batch.mark_missing_as_left = form.cleaned_data["mark_missing_as_left"]
        batch.save(update_fields=["mapping", "mark_missing_as_left"])
        return redirect("campaigns:import_preview", pk=batch.pk)
    sample = [dict(zip(dataset.headers, row, strict=False)) for row in dataset[:3]]
    return render(
        request,
        "campaigns/import_mapping.html",
        {"batch": batch, "form": form, "headers": dataset.headers, "sample": sample},
    )


@login_required
@leader_required
@require_GET
def import_preview(request, pk):
    batch, dataset = _pending_batch(request, pk)
    if not batch.mapping:
        return redirect("campaigns:import_mapping", pk=batch.pk)
    preview = build_preview(batch.local, dataset, batch.mapping, batch.mark_missing_as_left)
    return render(
        request,
        "campaigns/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "errors": preview.errors[:200],
            "sample_adds": preview.to_add[:10],
        },
    )


@login_required
@leader_required
@require_POST
def import_run(request, pk):
    batch, dataset = _pending_batch(request, pk)
    preview = build_preview(batch.local, dataset, batch.mapping, batch.mark_missing_as_left)
    if not preview.is_valid:
        messages.error(request, _("The roster has errors; nothing was imported. Fix the file."))
        return redirect("campaigns:import_preview", pk=batch.pk)
    with transaction.atomic():
        # A double click must not import twice: the second request waits, then finds it done.
        if ImportBatch.objects.select_for_update().get(pk=batch.pk).is_imported:
            messages.info(request, _("This roster was already imported."))
            return redirect("campaigns:members")
        counts = apply_preview(batch.local, preview)
        for name, value in counts.items():
            setattr(batch, name, value)
        batch.imported_at = timezone.now()
        batch.save()
        # Personal data does not stay on disk once it is in the database.
        transaction.on_commit(lambda: batch.file.delete(save=True))
    messages.success(
        request,
        _(
            "Roster imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged, "
            "%(left)d marked as having left."
        )
        % counts,
    )
    return redirect("campaigns:members")
