"""Leaders build surveys and read results; stewards hand out links and record answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from actions.views.scoping import campaign_for_leader
from campaigns.models import Campaign, Member
from campaigns.versioning import save_or_merge
from campaigns.zones import shows

from . import results
from .forms import AnswerForm, FindingForm, QuestionForm, SurveyForm
from .models import Answer, Question, Response, Survey

PAGE_SIZE = 25


def _survey(request, pk) -> Survey:
    return get_object_or_404(
        Survey.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )


def _editable(request, pk) -> Survey:
    survey = _survey(request, pk)
    if not survey.can_edit(request.user):
        raise PermissionDenied
    return survey


@login_required
@require_GET
def survey_list(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    surveys = (
        Survey.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    leads = roles_for(request.user).leads(campaign.local_id)
    return render(
        request, "surveys/list.html", {"campaign": campaign, "page": page, "leads": leads}
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = SurveyForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        survey = form.save(by=request.user)
        messages.success(request, _("Survey saved. Add its questions, then open it."))
        return redirect(survey)
    return render(request, "surveys/form.html", {"campaign": campaign, "form": form})


@shows(Survey)
@login_required
@require_GET
def survey_detail(request, pk):
    survey = _survey(request, pk)
    context = {
        "survey": survey,
        "campaign": survey.campaign,
        "questions": survey.questions.all(),
        "can_edit": survey.can_edit(request.user),
        "question_form": QuestionForm(languages=survey.campaign.local.translation_languages),
    }
    if not survey.for_members:
        # The public page, and each organisation's own link (its partners see theirs only).
        roles = roles_for(request.user)
        public_url = request.build_absolute_uri(
            reverse("open_surveys:answer", args=[survey.campaign.slug, survey.slug])
        )
        organisations = survey.campaign.local.organisations.order_by("name")
        if not roles.leads(survey.campaign.local_id):
            organisations = organisations.filter(pk__in=roles.organisation_ids)
        context["public_url"] = public_url
        context["partner_links"] = [
            (organisation.name, f"{public_url}?via={Survey.via_token(organisation)}")
            for organisation in organisations
        ]
    return render(request, "surveys/detail.html", context)


@shows(Survey)
@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _editable(request, pk)
    form = SurveyForm(request.POST or None, instance=survey, campaign=survey.campaign)
    context = {"campaign": survey.campaign, "survey": survey}
    if request.method == "POST" and form.is_valid():
        if merge := save_or_merge(
            request, form, survey, template="surveys/form.html", context=context
        ):
            return merge
        messages.success(request, _("Survey saved."))
        return redirect(survey)
    return render(request, "surveys/form.html", {**context, "form": form})


@shows(Survey)
@login_required
@require_POST
def question_add(request, pk):
    survey = _editable(request, pk)
    form = QuestionForm(request.POST, languages=survey.campaign.local.translation_languages)
    if form.is_valid():
        question = form.save(commit=False)
        question.survey = survey
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question.position = 0 if last is None else last + 1
        question.save()
        messages.success(request, _("Question added."))
        return redirect(f"{survey.get_absolute_url()}#questions")
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "campaign": survey.campaign,
            "questions": survey.questions.all(),
            "can_edit": True,
            "question_form": form,
        },
        status=400,
    )


@shows(Question)
@login_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(
        Question.objects.filter(survey__in=Survey.objects.visible_to(request.user)), pk=pk
    )
    if not question.survey.can_edit(request.user):
        raise PermissionDenied
    survey = question.survey
    question.delete()
    messages.success(request, _("Question removed."))
    return redirect(f"{survey.get_absolute_url()}#questions")


@shows(Survey)
@login_required
@require_POST
def survey_open(request, pk):
    survey = _editable(request, pk)
    if not survey.questions.exists():
        messages.error(request, _("Add a question before opening the survey."))
    else:
        survey.open(by=request.user)
        messages.success(request, _("The survey is open."))
    return redirect(survey)


@shows(Survey)
@login_required
@require_POST
def survey_close(request, pk):
    survey = _editable(request, pk)
    survey.close(by=request.user)
    messages.success(request, _("The survey is closed."))
    return redirect(survey)


@shows(Survey)
@login_required
@require_GET
def survey_results(request, pk):
    """The local's leaders only: stewards and partners hand the survey out but do not read
    what members and neighbours answered, free text least of all."""
    survey = _editable(request, pk)
    respondents, tally = results.tally(survey)
    texts = (
        Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
        .select_related("question", "finding__session", "response__organisation")
        .order_by("question__position", "question_id", "-pk")
    )
    page = Paginator(texts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "campaign": survey.campaign,
            "respondents": respondents,
            "tally": tally,
            "texts": page,
            "finding_form": FindingForm(local=survey.campaign.local),
            # Read once: the form's own choices would query again for every answer.
            "organisations": list(
                survey.campaign.local.organisations.order_by("name").values_list("pk", "name")
            ),
        },
    )


@shows(Answer)
@login_required
@require_POST
def answer_finding(request, pk):
    answer = get_object_or_404(
        Answer.objects.filter(
            question__kind=Question.Kind.TEXT,
            response__survey__in=Survey.objects.visible_to(request.user),
        ).select_related("response__survey__campaign__local"),
        pk=pk,
    )
    survey = answer.response.survey
    if not survey.can_edit(request.user):
        raise PermissionDenied
    form = FindingForm(request.POST, local=survey.campaign.local)
    if answer.finding_id:
        messages.info(request, _("This answer already became a finding."))
    elif form.is_valid():
        finding = answer.make_finding(
            organisation=form.cleaned_data["organisation"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(request, _("The answer is now a finding of this listening session."))
        return redirect(f"{finding.session.get_absolute_url()}#findings")
    else:
        messages.error(request, _("Choose the organisation whose listening session it joins."))
    return redirect(f"{reverse('surveys:results', args=[survey.pk])}#answers")


@shows(Survey)
@login_required
@require_GET
def survey_links(request, pk):
    """Each member's personal link, for the stewards of their building and the leaders."""
    survey = _survey(request, pk)
    if not survey.for_members:
        raise Http404
    members = (
        Member.objects.visible_to(request.user)
        .current()
        .filter(local_id=survey.campaign.local_id)
        .select_related("building")
        .prefetch_related(
            Prefetch(
                "survey_responses",
                queryset=Response.objects.filter(survey=survey),
                to_attr="responses_here",
            )
        )
        .order_by("building__name", "last_name", "first_name", "pk")
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    tokens = survey.link_tokens(member.pk for member in page.object_list)
    rows = [
        (
            member,
            request.build_absolute_uri(reverse("surveys:personal", args=[tokens[member.pk]])),
            bool(member.responses_here),
        )
        for member in page.object_list
    ]
    return render(
        request,
        "surveys/links.html",
        {"survey": survey, "campaign": survey.campaign, "page": page, "rows": rows},
    )


@shows(Member)
@login_required
@require_GET
def member_surveys(request, pk):
    """From a member's page: the open bargaining surveys a steward can record answers to."""
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    surveys = (
        Survey.objects.visible_to(request.user)
        .filter(
            campaign__local_id=member.local_id,
            audience=Survey.Audience.MEMBERS,
            status=Survey.Status.OPEN,
        )
        .select_related("campaign")
    )
    answered = set(
        Response.objects.filter(member=member, survey__in=surveys).values_list("survey", flat=True)
    )
    links = [
        (
            survey,
            request.build_absolute_uri(
                reverse("surveys:personal", args=[survey.link_token(member)])
            ),
        )
        for survey in surveys
    ]
    return render(
        request,
        "surveys/member_surveys.html",
        {"member": member, "surveys": links, "answered": answered},
    )


@shows(Survey)
@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk, member_pk):
    """A steward (or a leader) types in a member's answers during a conversation."""
    survey = _survey(request, pk)
    member = get_object_or_404(
        Member.objects.visible_to(request.user).filter(local_id=survey.campaign.local_id),
        pk=member_pk,
    )
    if not survey.for_members:
        raise Http404
    if not survey.is_open:
        raise PermissionDenied
    questions = list(survey.questions.all())
    form = AnswerForm(
        request.POST or None,
        questions=questions,
        initial_answers=previous_answers(survey, member),
    )
    if request.method == "POST" and form.is_valid():
        survey.respond(form.answers(), member=member, recorded_by=request.user)
        messages.success(request, _("Answers saved."))
        return redirect(member)
    return render(
        request,
        "surveys/record.html",
        {"survey": survey, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


def previous_answers(survey: Survey, member: Member) -> dict[int, object]:
    """A member's earlier answers, as the form's initial values, so answering again edits."""
    initial: dict[int, object] = {}
    rows = Answer.objects.filter(response__survey=survey, response__member=member).values_list(
        "question_id", "question__kind", "value", "text"
    )
    for question_id, kind, value, text in rows:
        if kind == Question.Kind.MULTIPLE:
            initial.setdefault(question_id, []).append(value)
        else:
            initial[question_id] = text if kind == Question.Kind.TEXT else value
    return initial
