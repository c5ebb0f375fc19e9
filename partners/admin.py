from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "local", "kind", "stage"]
    list_filter = ["kind", "stage", "local"]
    search_fields = ["name", "cares_about"]
    list_select_related = ["local"]
