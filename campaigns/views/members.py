"""Members: the list (search, filters, sorting, pages), detail, edit, and the export of exactly
the filtered list as CSV or Excel. The roster import is in ``roster_import``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import roles_for
from campaigns.zones import shows

from ..forms import MemberFilterForm, MemberForm
from ..models import Building, Member, StructureTest
from ..roster import export_csv_stream, export_xlsx
from ..versioning import save_or_merge


def _require_member_access(request):
    roles = roles_for(request.user)
    if not (roles.is_leader or roles.is_steward):
        raise PermissionDenied
    return roles


# The member list's columns that sort, in the order shown, with their headings.
SORTABLE_COLUMNS = [
    ("name", _lazy("Name")),
    ("building", _lazy("Building")),
    ("support", _lazy("Support")),
    ("contact", _lazy("Last contact")),
]


def _member_filters(request) -> MemberFilterForm:
    """The list's filters over the members this person may see: a leader their locals', a
    steward their buildings'."""
    user = request.user
    members = Member.objects.visible_to(user)
    languages = (
        # "> ''" rather than "<> ''": a range the (local, language) index answers at once.
        members.filter(preferred_language__gt="")
        .order_by("preferred_language")
        .values_list("preferred_language", flat=True)
        .distinct()
    )
    return MemberFilterForm(
        request.GET,
        members=members.select_related("building"),
        buildings=Building.objects.visible_to(user),
        tests=StructureTest.objects.visible_to(user).only("pk", "name"),
        languages=list(languages),
    )


def _sort_links(order: str) -> dict[str, dict]:
    """Each sortable column's heading: the order it is in now (for ``aria-sort``), and the
    order a click asks for (ascending first, then the other way)."""
    links = {}
    for key, label in SORTABLE_COLUMNS:
        current = order.removeprefix("-") == key
        descending = order.startswith("-")
        links[key] = {
            "label": label,
            "sort": f"-{key}" if current and not descending else key,
            "aria": ("descending" if descending else "ascending") if current else "",
        }
    return links


@login_required
@require_GET
def member_list(request):
    roles = _require_member_access(request)
    form = _member_filters(request)
    page = Paginator(form.filtered(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/member_list.html",
        {
            "page": page,
            "form": form,
            "sort_links": _sort_links(form.order),
            "is_leader": roles.is_leader,
        },
    )


@shows(Member)
@login_required
@require_GET
def member_detail(request, pk):
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


@shows(Member)
@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    buildings = Building.objects.visible_to(request.user).filter(local_id=member.local_id)
    form = MemberForm(request.POST or None, instance=member, buildings=buildings)
    context = {"member": member}
    if request.method == "POST" and form.is_valid():
        merge = save_or_merge(
            request, form, member, template="campaigns/member_form.html", context=context
        )
        if merge:
            return merge
        messages.success(request, _("%(name)s saved.") % {"name": member.name})
        return redirect(member)
    return render(request, "campaigns/member_form.html", {**context, "form": form})


@login_required
@require_GET
def member_export(request, kind="csv"):
    """Exactly the list as filtered and sorted (leavers only when asked), every page of it:
    a leader's locals', a steward's buildings'."""
    _require_member_access(request)
    members = _member_filters(request).filtered()
    filename = f"members-{timezone.localdate().isoformat()}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(
            export_xlsx(members),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            export_csv_stream(members), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
