from django.contrib import admin

from .models import Consent, Supporter


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["purpose", "organisation", "how", "wording", "given_at"]
    raw_id_fields = ["organisation"]


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "local", "brought_by", "language", "created_at"]
    list_filter = ["language", "local"]
    search_fields = ["name", "email"]
    list_select_related = ["local", "brought_by", "member"]
    raw_id_fields = ["member", "brought_by"]
    inlines = [ConsentInline]
