"""Demands offered to type-to-search pickers (an action's demands, a proposal's)."""

from django.utils.translation import gettext_lazy as _

from campaigns.pickers import Source, folded_search, register

from .models import Demand

register(
    Source(
        "demands",
        Demand,
        _("Search demands"),
        _("Find demands"),
        "campaign",
        folded_search("title"),
        describe=lambda demand: (demand.title, demand.get_status_display()),
    )
)
