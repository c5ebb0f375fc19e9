"""The leader's organizing dashboard and the BCG self-assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import dashboard
from ..assessment import ELEMENTS, STATEMENTS
from ..charts import line_chart
from ..forms import AssessmentForm
from ..models import (
    Assessment,
    Building,
)
from ..versioning import EditConflict, merge_page
from .plan import get_led_campaign


@login_required
@require_GET
def organizing_dashboard(request, slug):
    campaign = get_led_campaign(request, slug)
    test = dashboard.latest_test(campaign)
    kind = request.GET.get("kind", "")
    if kind not in Building.Kind.values:
        kind = ""
    search = request.GET.get("q", "").strip()[:100]
    every = dashboard.local_stats(campaign, test)
    rows = dashboard.matching(every, kind=kind, search=search)
    summary = dashboard.totals(rows)
    requested = request.GET.get("sort", "weakest")
    # The last contact is read for the page's rows only, unless the rows are sorted by it.
    if requested.lstrip("-") == "contact":
        dashboard.add_last_contact(rows)
    rows, sort = dashboard.sort_rows(rows, requested)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    if sort.lstrip("-") != "contact":
        dashboard.add_last_contact(page.object_list)
    filters = request.GET.copy()
    for key in ("page", "sort"):
        filters.pop(key, None)
    # The history is the whole local's, whatever the filters.
    weeks = dashboard.history(campaign, dashboard.totals(every) if kind or search else summary)
    days = [date_format(w.week, "MONTH_DAY_FORMAT") for w in weeks]
    supporters_chart = line_chart([(d, w.supporters) for d, w in zip(days, weeks, strict=True)])
    active_chart = line_chart([(d, w.active_buildings) for d, w in zip(days, weeks, strict=True)])
    labels = [
        ("name", _("Building")),
        ("members", _("Members")),
        ("stewards", _("Stewards")),
        ("ratio", _("Members per steward")),
        ("assessed", _("Assessed")),
        ("supporters", _("Supporters (1-2)")),
        ("took_part", _("Took part in the last test")),
        ("contact", _("Days since last contact")),
    ]
    columns = []
    for key, label in labels:
        current = sort.lstrip("-") == key
        descending_first = dashboard.SORTS[key][1]
        descending = current and (sort.startswith("-") != descending_first)
        columns.append(
            {
                "key": key,
                "label": label,
                "next": f"-{key}" if current and not sort.startswith("-") else key,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "campaign": campaign,
            "test": test,
            "page": page,
            "summary": summary,
            "sort": sort,
            "columns": columns,
            "kind": kind,
            "search": search,
            "kinds": Building.Kind.choices,
            "filter_query": filters.urlencode(),
            "weeks": weeks,
            "supporters_chart": supporters_chart,
            "active_chart": active_chart,
            "goal": dashboard.STEWARD_GOAL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, slug):
    campaign = get_led_campaign(request, slug)
    history = list(campaign.assessments.all())
    latest = history[-1] if history else None
    today = next((a for a in history if a.taken_on == timezone.localdate()), None)
    # Today's assessment is edited in place; otherwise the last one's scores are the start.
    if today:
        initial = AssessmentForm.values_from(today)
    else:
        initial = dict(latest.scores) if latest else None
    form = AssessmentForm(request.POST or None, versioned=today, initial=initial)
    context = {"campaign": campaign, "history": history, "statements": STATEMENTS}
    if request.method == "POST" and form.is_valid():
        taken_on = form.cleaned_data["taken_on"]
        try:
            Assessment.record(
                campaign=campaign,
                taken_on=taken_on,
                values=form.cleaned_data,
                changed=form.changed_names(),
                by=request.user,
                expected_version=form.expected_version_for(taken_on),
            )
        except EditConflict as conflict:
            return merge_page(
                request,
                form,
                conflict.current,
                template="campaigns/assessment.html",
                context={**context, "rows": _assessment_rows(history)},
            )
        messages.success(request, _("Self-assessment saved."))
        return redirect("campaigns:assessment", slug=campaign.slug)
    return render(
        request,
        "campaigns/assessment.html",
        {**context, "rows": _assessment_rows(history), "form": form},
    )


def _assessment_rows(history: list[Assessment]) -> list[dict]:
    rows = []
    for code, label in ELEMENTS:
        scores = [a.element_scores()[code] for a in history]
        change = (
            round(scores[-1] - scores[-2], 1)
            if len(scores) > 1 and None not in scores[-2:]
            else None
        )
        rows.append({"label": label, "scores": scores, "change": change})
    return rows
