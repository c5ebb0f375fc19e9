from django import template
from django.utils.html import format_html

from campaigns import member_buttons as member_buttons_
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


@register.filter
def page_numbers(page) -> list[int | None]:
    """The page numbers a list shows between previous and next: the first and the last, the
    current one's neighbours, and ``None`` where a run of pages is left out."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def member_buttons(context, member):
    """The buttons later apps add beside a member (campaigns.member_buttons)."""
    return member_buttons_.render(context.get("request"), member)
