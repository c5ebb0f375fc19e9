"""Surveys: the bargaining survey members answer, and listening surveys for the public."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from accounts.access import roles_for
from campaigns.content import DEFAULT_LANGUAGE, Text, TranslatedContent
from campaigns.models import Campaign, Member
from campaigns.versioning import Versioned
from partners.models import Finding, ListeningSession, Organisation

# Personal links made before each had a token of its own signed "<survey id>.<member uuid>"
# with this salt; they still open their survey (read_link_token).
LINK_SALT = "surveys.personal-link"
VIA_SALT = "surveys.via-organisation"


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user) -> SurveyQuerySet:
        """Leaders see their locals' surveys; stewards the bargaining surveys (they record
        answers and hand out links); partners the listening surveys (they share them)."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids)
            | models.Q(
                campaign__local_id__in=roles.stewarded_local_ids, audience=Survey.Audience.MEMBERS
            )
            | models.Q(
                campaign__local_id__in=roles.partner_local_ids, audience=Survey.Audience.PUBLIC
            )
        )


class Survey(Versioned, TranslatedContent, models.Model):
    """A survey; its title and introduction are written in the local's default language and
    in its other languages in ``i18n``, like its questions."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members (the bargaining survey)")
        PUBLIC = "public", _("Public and partners (a listening survey)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), help_text=_("Used in the public page's address."))
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("who answers"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    i18n = TranslationField(fields=("title", "intro"))
    TRANSLATED_FIELDS = ("title", "intro")

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="unique_survey_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def for_members(self) -> bool:
        return self.audience == self.Audience.MEMBERS

    def open(self, *, by) -> None:
        """Start taking answers; a closed survey may be opened again."""
        if self.is_open:
            return
        self.status, self.opened_at, self.opened_by = self.Status.OPEN, timezone.now(), by
        self.closed_at = self.closed_by = None
        self.save(update_fields=["status", "opened_at", "opened_by", "closed_at", "closed_by"])

    def close(self, *, by) -> None:
        if not self.is_open:
            return
        self.status, self.closed_at, self.closed_by = self.Status.CLOSED, timezone.now(), by
        self.save(update_fields=["status", "closed_at", "closed_by"])

    def link_token(self, member: Member) -> str:
        """The member's personal link to this survey (see ``SurveyLink``)."""
        return self.link_tokens([member.pk])[member.pk]

    def link_tokens(self, member_ids: Iterable[int]) -> dict[int, str]:
        """Each member's personal link token to this survey, made on first use: one query
        when all exist, three when some are new."""
        wanted = set(member_ids)
        links = self.links.filter(member_id__in=wanted)
        tokens = dict(links.values_list("member_id", "token"))
        missing = wanted - tokens.keys()
        if missing:
            SurveyLink.objects.bulk_create(
                [SurveyLink(survey=self, member_id=pk) for pk in missing],
                ignore_conflicts=True,
            )
            tokens.update(links.filter(member_id__in=missing).values_list("member_id", "token"))
        return tokens

    @staticmethod
    def read_link_token(token: str) -> tuple[int, int | str] | None:
        """(survey id, member id) of a personal link token; for a link made before links
        had their own token, (survey id, the member's external id as hex)."""
        link = SurveyLink.objects.filter(token=token).values_list("survey_id", "member_id")
        if found := link.first():
            return found
        try:
            value = signing.Signer(salt=LINK_SALT).unsign(token)
            survey_id, member_uuid = value.split(".")
            return int(survey_id), member_uuid
        except (signing.BadSignature, ValueError):
            return None

    @staticmethod
    def via_token(organisation: Organisation) -> str:
        """The ``?via=`` of an organisation's link to a listening survey: signed, so answers
        cannot be put down to an organisation by editing the address."""
        return signing.Signer(salt=VIA_SALT).sign(str(organisation.pk))

    @staticmethod
    def read_via_token(token: str) -> int | None:
        try:
            return int(signing.Signer(salt=VIA_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None

    def respond(
        self,
        answers: dict[Question, object],
        *,
        member: Member | None = None,
        organisation: Organisation | None = None,
        recorded_by=None,
    ) -> Response:
        """Save one person's answers. A member has one response: answering again replaces it."""
        with transaction.atomic():
            if member is not None:
                response, _created = Response.objects.select_for_update().get_or_create(
                    survey=self, member=member, defaults={"recorded_by": recorded_by}
                )
                response.recorded_by = recorded_by
                response.save(update_fields=["recorded_by", "updated_at"])
                # A finding made from an old answer stays with the listening session.
                response.answers.all().delete()
            else:
                response = Response.objects.create(survey=self, organisation=organisation)
            rows = []
            for question, value in answers.items():
                if value in (None, "", []):
                    continue
                if question.kind == Question.Kind.TEXT:
                    rows.append(Answer(response=response, question=question, text=str(value)))
                else:
                    values = value if isinstance(value, list) else [value]
                    rows += [
                        Answer(response=response, question=question, value=str(v)) for v in values
                    ]
            Answer.objects.bulk_create(rows)
        return response


def new_link_token() -> str:
    return secrets.token_urlsafe(16)


class SurveyLink(models.Model):
    """A member's personal link to one survey: a random token of its own, so the address
    names neither the member nor anything that stays the same from one survey to the next,
    and one survey's link opens no other."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=new_link_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal survey link")
        verbose_name_plural = _("personal survey links")
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="one_link_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.member_id}"


class Question(TranslatedContent, models.Model):
    """A question of a survey. Its text and choices are written in the local's default
    language, and in its other languages in ``i18n`` (django-modeltrans: ``text_es``,
    ``choices_hmn``); an answer stores the default-language choice, whatever language the
    person read it in, so results add up across languages."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale from 1 to 5")
        TEXT = "text", _("Free text")

    local_path = "survey__campaign__local"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=500)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For choice questions: one choice a line.")
    )
    required = models.BooleanField(_("an answer is required"), default=False)
    i18n = TranslationField(fields=("text", "choices"))
    TRANSLATED_FIELDS = ("text", "choices")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        if self.kind == self.Kind.SCALE:
            return [str(n) for n in range(1, 6)]
        return self._lines(self.choices)

    @staticmethod
    def _lines(choices: str) -> list[str]:
        return [line.strip() for line in choices.splitlines() if line.strip()]

    @property
    def campaign(self):
        return self.survey.campaign

    def label_in(self, language: str) -> Text:
        return self.text_in("text", language)

    def choice_pairs(self, language: str) -> tuple[list[tuple[str, str]], Text | None]:
        """(stored value, label in ``language``) for each choice, and the translation the
        labels come from (None for a scale, whose points are numbers). A translation with
        another number of lines than the choices is not used: its lines would not match."""
        values = self.choice_list
        if self.kind == self.Kind.SCALE:
            return [(value, value) for value in values], None
        text = self.text_in("choices", language)
        labels = self._lines(text.text)
        if len(labels) != len(values):
            text, labels = Text(self.choices, DEFAULT_LANGUAGE, language), values
        return list(zip(values, labels, strict=True)), text


class Response(models.Model):
    """One person's answers: a member's (by their link or through a steward) or a visitor's."""

    local_path = "survey__campaign__local"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_responses"
    )
    # The organisation whose link brought a visitor (?via=), for the breakdown.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member"],
                condition=models.Q(member__isnull=False),
                name="one_response_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """One value: a choice (a row per ticked choice), a scale point, or free text."""

    local_path = "response__survey__campaign__local"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "value"])]

    def __str__(self) -> str:
        return self.value or self.text[:80]

    def make_finding(self, *, organisation: Organisation, kind: str, by) -> Finding:
        """Carry a free-text answer into the organisation's listening session for this survey
        (made on first use), as a finding a demand can start from."""
        survey = self.response.survey
        with transaction.atomic():
            session = ListeningSession.objects.filter(
                organisation=organisation, kind=ListeningSession.Kind.SURVEY, title=survey.title
            ).first()
            if session is None:
                session = ListeningSession.objects.create(
                    organisation=organisation,
                    kind=ListeningSession.Kind.SURVEY,
                    title=survey.title,
                    held_on=timezone.localdate(),
                    created_by=by,
                )
            finding = Finding.objects.create(session=session, kind=kind, text=self.text)
            self.finding = finding
            self.save(update_fields=["finding"])
        return finding
