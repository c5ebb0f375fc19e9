from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import member_choices
from campaigns.forms import PhoneField
from campaigns.models import Campaign
from campaigns.versioning import VersionedForm

from .models import Contact, Finding, ListeningSession, Organisation, Support

MAX_UPLOAD_BYTES = getattr(settings, "SUPPORT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# What a file really is, read from its first bytes; its name and the browser's word are not
# trusted.
MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


def sniff_content_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


class OrganisationForm(VersionedForm, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "stage", "cares_about", "website"]
        widgets = {"cares_about": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.local = local

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.filter(local=self.local, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("An organisation with this name is already listed."))
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "language", "notes"]
        field_classes = {"phone": PhoneField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=self.fields["language"].label,
            help_text=self.fields["language"].help_text,
            choices=member_choices(self.instance.language),
            required=False,
        )


class ListeningSessionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ListeningSession
        fields = ["title", "kind", "held_on", "place", "attendance", "who_came"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "who_came": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        if kwargs.get("instance") is None:
            kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "kind": forms.RadioSelect}


class SupportForm(forms.ModelForm):
    class Meta:
        model = Support
        fields = ["campaign", "kind", "title", "received_on", "document"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "document": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/png,image/jpeg"}
            ),
        }
        help_texts = {"document": _("A PDF, PNG or JPEG of at most 5 MB.")}

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(local=local)
        self.fields["campaign"].empty_label = None
        self.content_type = ""

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload or not hasattr(upload, "content_type"):
            return upload
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is %(size)s MB; the limit is %(limit)s MB. Scan it at a lower "
                    "resolution or save it as a smaller PDF."
                )
                % {
                    "size": round(upload.size / 1_048_576, 1),
                    "limit": MAX_UPLOAD_BYTES // 1_048_576,
                }
            )
        content_type = sniff_content_type(upload)
        if content_type is None:
            raise forms.ValidationError(
                _(
                    "This file is not a PDF, PNG or JPEG. Save or scan it as one of those and "
                    "upload it again."
                )
            )
        self.content_type = content_type
        return upload

    def save(self, commit=True):
        support = super().save(commit=False)
        if self.content_type:
            support.content_type = self.content_type
        if commit:
            support.save()
        return support


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a member by name or employee id"), required=False, max_length=100
    )


def search_members(queryset, query: str, limit: int = 20):
    """Current members matching ``query`` (see ``MemberQuerySet.search``)."""
    query = query.strip()
    if not query:
        return queryset.none()
    return queryset.search(query).current().select_related("building")[:limit]
