"""The action's title and description in the local's other languages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.translating import translations_page
from campaigns.zones import shows

from ..models import Action
from .scoping import editable_action


@shows(Action)
@login_required
@require_http_methods(["GET", "POST"])
def action_translations(request, pk):
    action = editable_action(request, pk)
    return translations_page(
        request,
        action,
        template="actions/action_translations.html",
        context={"action": action},
        saved_message=_("Translations saved."),
    )
