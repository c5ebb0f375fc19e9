"""What the bargaining team's pages show of a record's translations."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from campaigns.content import DEFAULT_LANGUAGE, language_label, reading_language

register = template.Library()


@register.simple_tag
def missing_translations(item, languages: list[str]) -> str:
    """The names of ``languages`` (the local's, which the page already has) in which the
    record's public text is not translated yet, for a "Missing: ..." badge."""
    return ", ".join(language_label(code) for code in item.missing_languages(languages))


@register.simple_tag(takes_context=True)
def untranslated_note(context, obj, name: str) -> str:
    """Only the note that ``obj``'s text ``name`` is not yet translated into the page's
    content language, where a text computed from it (a comparison) is shown instead."""
    language = context.get("content_language") or reading_language()
    text = obj.text_in(name, language)
    if not text.missing:
        return ""
    return format_html(
        '<span class="badge untranslated" lang="{}">{}</span>',
        get_language() or DEFAULT_LANGUAGE,
        text.missing_note,
    )
