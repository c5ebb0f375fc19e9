from django.contrib import admin

from .models import Consent, Petition, Signature, Supporter


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


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["slug", "campaign", "target", "goal", "ends_on", "published_at"]
    list_filter = ["campaign"]
    search_fields = ["slug", "title"]
    list_select_related = ["campaign", "target"]
    raw_id_fields = ["target", "structure_test", "created_by"]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["supporter", "petition", "source", "confirmed_at", "created_at"]
    list_filter = ["source"]
    list_select_related = ["supporter", "petition"]
    raw_id_fields = ["supporter", "petition", "brought_by", "entered_by"]
