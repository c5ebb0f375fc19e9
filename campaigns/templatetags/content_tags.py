"""Published text in the reader's content language, marked where it is not translated yet."""

from django import template
from django.template.defaultfilters import linebreaks_filter, truncatewords
from django.utils.html import format_html
from django.utils.translation import get_language

from campaigns.content import DEFAULT_LANGUAGE, Text, reading_language

register = template.Library()


@register.simple_tag(takes_context=True)
def content(
    context, obj, name: str, block: bool = False, words: int = 0, css: str = "", mark: bool = True
):
    """``obj``'s text ``name`` in the page's ``content_language``. The text carries its own
    ``lang`` (the page's is the interface language, English for a language without an
    interface catalogue), and a default-language text standing in for a missing translation
    says so, in the interface language (once an item: ``mark=False`` on its other texts)."""
    language = context.get("content_language") or reading_language()
    text: Text = obj.text_in(name, language)
    value = truncatewords(text.text, words) if words else text.text
    if not value:
        return ""
    tag = "div" if block else "span"
    body = linebreaks_filter(value) if block else value
    classes = format_html(' class="{}"', css) if css else ""
    html = format_html(
        '<{} lang="{}" dir="{}"{}>{}</{}>', tag, text.language, text.direction, classes, body, tag
    )
    if text.missing and mark:
        html += format_html(
            ' <{} class="badge untranslated" lang="{}">{}</{}>',
            "p" if block else "span",
            get_language() or DEFAULT_LANGUAGE,
            text.missing_note,
            "p" if block else "span",
        )
    return html


@register.simple_tag(takes_context=True)
def content_text(context, obj, name: str) -> str:
    """The plain text, for attributes and titles (a meta description, an aria label)."""
    return obj.text_in(name, context.get("content_language") or reading_language()).text
