"""Buttons beside a member on the steward's building page that later apps offer (the "Text"
button of broadcasts), so that campaigns' templates load no later app's tags.

An app registers a function of the request and the member that returns the button's HTML (a
safe string), or "" when it has none for that member; it calls ``register`` once, from its
AppConfig.ready, as apps do for the pickers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .models import Member

Button = Callable[[HttpRequest | None, Member], str]

BUTTONS: dict[str, Button] = {}


def register(key: str, button: Button) -> None:
    BUTTONS[key] = button


def render(request: HttpRequest | None, member: Member) -> SafeString:
    """Every registered button for the member, in the order the apps registered them."""
    return format_html_join(
        "", "{}", ((html,) for button in BUTTONS.values() if (html := button(request, member)))
    )
