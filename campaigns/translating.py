"""The page on which a published item's text is written in the local's other languages,
shared by demands and actions: the views find the item and check who may edit it, this saves
through the item's ``edit_translations`` (its own version check, revision and public page)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import TranslationsForm
from .versioning import EditConflict


def translations_page(request, item, *, template: str, context: dict, saved_message: str):
    languages = item.campaign.local.translation_languages
    form = TranslationsForm(request.POST or None, item=item, languages=languages)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            item.edit_translations(
                texts=form.texts(), by=request.user, expected_version=form.cleaned_data["version"]
            )
        except EditConflict as conflict:
            # Someone saved since this page was opened: keep what this person typed, against
            # the saved version, for them to check and save again.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = TranslationsForm(data, item=conflict.current, languages=languages)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone saved this since you opened the page. Your text is still in the "
                    "boxes: check it against theirs and save again."
                ),
            )
            status = 409
        else:
            messages.success(request, saved_message)
            return redirect(request.path)
    return render(
        request,
        template,
        {**context, "form": form, "languages": languages, "item": item},
        status=status,
    )
