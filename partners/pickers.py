"""Organisations offered to type-to-search pickers (a partner's invitation, an action's
co-sponsors)."""

from django.utils.translation import gettext_lazy as _

from campaigns.pickers import Source, folded_search, register

from .models import Organisation

register(
    Source(
        "organisations",
        Organisation,
        _("Search organisations by name"),
        _("Find organisations"),
        "local",
        folded_search("name"),
    )
)
