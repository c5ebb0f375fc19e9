from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bargaining.forms import TranslatedFieldsForm
from campaigns.content import field_key, language_label, reading_language
from campaigns.versioning import VersionedForm
from partners.models import Finding, Organisation

from .models import Question, Survey

FORM_SALT = "surveys.public-form"
FORM_MIN_SECONDS = 1
FORM_MAX_AGE = 60 * 60 * 6


class SurveyForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    """A survey's title, address, introduction and audience, with a box for the title and
    the introduction in each of the local's other languages; two leaders saving at once get
    the merge page rather than one overwriting the other."""

    class Meta:
        model = Survey
        fields = ["title", "slug", "intro", "audience"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.add_translation_fields(campaign.local)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        others = Survey.objects.filter(campaign=self.campaign, slug=slug).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(_("Another survey of this campaign has this address."))
        return slug

    def save(self, commit: bool = True, *, by=None) -> Survey:
        survey = TranslatedFieldsForm.save(self, commit=False)
        survey.campaign = self.campaign
        if survey.pk is None:
            survey.created_by = by
        if commit:
            survey.save()
        return survey


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, languages: list[str] = (), **kwargs):
        """``languages``: the local's other content languages, a box each for the question
        and its choices (the choices one a line, in the same order)."""
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        saved = self.instance.i18n or {}
        for language in self.languages:
            for name in Question.TRANSLATED_FIELDS:
                original = Question._meta.get_field(name)
                key = field_key(name, language)
                field = Question._meta.get_field(key).formfield(required=False)
                field.label = _("%(field)s in %(language)s") % {
                    "field": capfirst(original.verbose_name),
                    "language": language_label(language),
                }
                field.help_text = ""
                field.widget = forms.Textarea(attrs={"rows": 4, "lang": language, "dir": "auto"})
                if name == "text":
                    field.widget = forms.TextInput(attrs={"lang": language, "dir": "auto"})
                self.fields[key] = field
                self.initial.setdefault(key, saved.get(key, ""))

    def save(self, commit=True):
        question = super().save(commit=False)
        question.i18n = question.translated_i18n(
            {
                language: {
                    name: self.cleaned_data.get(field_key(name, language), "")
                    for name in Question.TRANSLATED_FIELDS
                }
                for language in self.languages
            }
        )
        if commit:
            question.save()
        return question

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices = [c for c in (cleaned.get("choices") or "").splitlines() if c.strip()]
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one a line."))
        if kind in (Question.Kind.SCALE, Question.Kind.TEXT):
            cleaned["choices"] = ""
        return cleaned


class AnswerForm(forms.Form):
    """The survey's questions as fields ``q<pk>``, in order."""

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        language = reading_language()
        for question in self.questions:
            name = f"q{question.pk}"
            # The question in the reader's language, marked where it is not translated yet.
            pairs, choices = question.choice_pairs(language)
            label = question.label_in(language)
            missing = next((t for t in (label, choices) if t is not None and t.missing), None)
            common = {
                "label": format_html(
                    '<span lang="{}" dir="{}">{}</span>',
                    label.language,
                    label.direction,
                    label.text,
                ),
                "required": question.required,
                "help_text": missing.missing_note if missing else "",
            }
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=pairs, widget=forms.RadioSelect, **common)
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    choices=pairs,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    **{
                        **common,
                        "help_text": " ".join(
                            filter(
                                None, [str(_("1 is the least, 5 the most.")), common["help_text"]]
                            )
                        ),
                    },
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=pairs, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
                field.max_length = 5000
            self.fields[name] = field
            if initial_answers and question.pk in initial_answers:
                self.initial[name] = initial_answers[question.pk]

    def answers(self) -> dict[Question, object]:
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class PublicAnswerForm(AnswerForm):
    """The listening survey on the public page: a field humans do not see (bots fill it) and
    a signed time stamp, as the public RSVP form has; rate limits live in the view."""

    def __init__(self, *args, survey_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey_pk = survey_pk
        self.fields["website"] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["issued"] = forms.CharField(widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial["issued"] = self._stamp()

    def _stamp(self) -> str:
        return signing.dumps({"s": self.survey_pk, "t": time.time()}, salt=FORM_SALT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your answer could not be saved. Please try again."))
        try:
            issued = signing.loads(cleaned.get("issued", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and try again.")
            ) from None
        if issued.get("s") != self.survey_pk:
            raise forms.ValidationError(_("Your answer could not be saved. Please try again."))
        if time.time() - issued.get("t", 0) < FORM_MIN_SECONDS:
            self.data = self.data.copy()
            self.data["issued"] = self._stamp()
            raise forms.ValidationError(
                _("Please check your answer and press the button once more.")
            )
        return cleaned


class FindingForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Listening session of"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Finding.Kind.choices)

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(local=local)
