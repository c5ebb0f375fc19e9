"""The steward's "Text" button: the phone's own messaging app, opened with the leaders' text.
No message is sent by the app (the toolkit warns against bulk texting): the steward sends it.

The button joins the others beside a member on the steward's building page through
campaigns.member_buttons, registered from the app's AppConfig.ready."""

from __future__ import annotations

from urllib.parse import quote

from django.utils.html import format_html
from django.utils.translation import gettext as _

from campaigns.phones import tel_uri

from .models import BroadcastSettings


def _text_template(request, local_id: int) -> str:
    """The local's text, read once per request however many members the page lists."""
    found = getattr(request, "_broadcast_text_templates", None)
    if found is None:
        found = {}
        if request is not None:
            request._broadcast_text_templates = found
    if local_id not in found:
        found[local_id] = BroadcastSettings.for_local(local_id).text_template
    return found[local_id]


def sms_uri(phone: str, body: str) -> str:
    """``sms:+19165550101?body=…`` (RFC 5724), or "" when the number would not dial."""
    number = tel_uri(phone).removeprefix("tel:")
    return f"sms:{number}?body={quote(body)}" if number else ""


def text_button(request, member) -> str:
    if not member.phone:
        return ""
    text = _text_template(request, member.local_id)
    uri = sms_uri(member.phone, text.replace("{first_name}", member.first_name)) if text else ""
    if not uri:
        return ""
    return format_html(
        '<a class="button-secondary button-small" href="{}">{}<span class="visually-hidden">'
        ": {}</span></a>",
        uri,
        _("Text"),
        member.name,
    )
