from django import template
from django.utils.html import format_html

from campaigns.phones import display_phone, tel_uri

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored phone number as people in the local write it."""
    return display_phone(value)


@register.filter
def phone_link(value: str) -> str:
    """A link that dials the number, or the text alone when it is not a number one can dial."""
    uri = tel_uri(value)
    if not uri:
        return format_html("{}", value or "")
    return format_html('<a href="{}">{}</a>', uri, display_phone(value))
