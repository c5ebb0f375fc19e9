"""The pages people answer on without signing in: a member's personal link and the public
listening survey. Neither address names a person."""

from __future__ import annotations

from allauth.core import ratelimit
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import address_key
from campaigns.content import reading_in
from campaigns.models import Member
from campaigns.zones import local_time
from partners.models import Organisation

from .forms import AnswerForm, PublicAnswerForm
from .models import Survey
from .views import previous_answers

# Ten answers an hour to one survey from one address: the allauth rate limit "public_survey"
# in ACCOUNT_RATE_LIMITS, keyed by a hash of the address and the survey (accounts.ratelimits).


@never_cache
@require_http_methods(["GET", "POST"])
def personal(request, token):
    """A member's own link: their answers, which they may change while the survey is open."""
    found = Survey.read_link_token(token)
    if found is None:
        raise Http404
    survey_id, member_key = found
    survey = get_object_or_404(
        Survey.objects.filter(audience=Survey.Audience.MEMBERS).select_related("campaign__local"),
        pk=survey_id,
    )
    members = Member.objects.current().filter(local_id=survey.campaign.local_id)
    by = {"pk": member_key} if isinstance(member_key, int) else {"uuid": member_key}
    member = get_object_or_404(members, **by)
    # The member reads the survey in their own language when the app speaks it.
    with local_time(survey.campaign.local), reading_in(member.preferred_language or "en"):
        return _personal(request, token, survey, member)


def _personal(request, token: str, survey: Survey, member: Member):
    context = {"survey": survey, "member_first_name": member.first_name}
    if not survey.is_open:
        return render(request, "surveys/closed.html", context)
    if request.method == "GET" and request.GET.get("thanks"):
        return render(request, "surveys/thanks.html", {**context, "again_url": request.path})
    form = AnswerForm(
        request.POST or None,
        questions=survey.questions.all(),
        initial_answers=previous_answers(survey, member),
    )
    if request.method == "POST" and form.is_valid():
        survey.respond(form.answers(), member=member)
        return redirect(reverse("surveys:personal", args=[token]) + "?thanks=1")
    return render(
        request,
        "surveys/answer.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def public_answer(request, slug, survey_slug):
    survey = get_object_or_404(
        Survey.objects.filter(
            audience=Survey.Audience.PUBLIC, status__in=[Survey.Status.OPEN, Survey.Status.CLOSED]
        ).select_related("campaign__local"),
        campaign__slug=slug,
        slug=survey_slug,
    )
    language = request.GET.get("lang", "")
    with local_time(survey.campaign.local):
        if language in survey.campaign.local.public_language_codes:
            with reading_in(language):
                return _public_answer(request, survey, language)
        return _public_answer(request, survey, "")


def _public_answer(request, survey: Survey, language: str):
    context = {"survey": survey}
    if not survey.is_open:
        return render(request, "surveys/closed.html", context)
    if request.method == "GET" and request.GET.get("thanks"):
        return render(request, "surveys/thanks.html", context)
    organisation_id = Survey.read_via_token(request.GET.get("via", ""))
    organisation = (
        Organisation.objects.filter(local_id=survey.campaign.local_id, pk=organisation_id).first()
        if organisation_id
        else None
    )
    form = PublicAnswerForm(
        request.POST or None, questions=survey.questions.all(), survey_pk=survey.pk
    )
    status = 200
    if request.method == "POST":
        key = address_key(request, "surveys.public-answer", survey.pk)
        if not ratelimit.consume(request, action="public_survey", key=key):
            form.is_valid()
            form.add_error(
                None, _("Too many answers from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            survey.respond(form.answers(), organisation=organisation)
            # Back to the same address (its ?via= and ?lang=), saying thanks.
            query = request.GET.copy()
            query["thanks"] = "1"
            thanks = "?" + query.urlencode()
            return redirect(
                reverse("open_surveys:answer", args=[survey.campaign.slug, survey.slug]) + thanks
            )
        else:
            status = 400
    return render(request, "surveys/public_answer.html", {**context, "form": form}, status=status)
