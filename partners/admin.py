from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Contact, Finding, ListeningSession, Organisation, Support


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "local", "kind", "stage"]
    list_filter = ["kind", "stage", "local"]
    search_fields = ["name", "cares_about"]
    list_select_related = ["local"]
    raw_id_fields = ["known_by"]
    inlines = [ContactInline]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


@admin.register(ListeningSession)
class ListeningSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "held_on", "attendance"]
    list_filter = ["kind"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]
    inlines = [FindingInline]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "received_on", "content_type"]
    list_filter = ["kind"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]
    # Documents have no public URL; they are uploaded and served by the app's checked views.
    exclude = ["document"]
    readonly_fields = ["document_link"]

    @admin.display(description=_("document"))
    def document_link(self, support: Support) -> str:
        if not support.document:
            return "—"
        return format_html('<a href="{}">{}</a>', support.get_document_url(), _("Open"))
