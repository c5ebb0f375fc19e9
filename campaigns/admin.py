from django.contrib import admin

from accounts.admin import CountedOnTheDashboard

from .models import (
    Assessment,
    Building,
    Campaign,
    ImportBatch,
    Local,
    Member,
    Milestone,
    StructureTest,
    Team,
)


@admin.register(Local)
class LocalAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "timezone", "require_leader_mfa"]
    search_fields = ["name", "employer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Building)
class BuildingAdmin(CountedOnTheDashboard, admin.ModelAdmin):
    list_display = ["name", "local", "kind"]
    list_filter = ["kind", "local"]
    search_fields = ["name", "address"]
    list_select_related = ["local"]


@admin.register(Member)
class MemberAdmin(CountedOnTheDashboard, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "building", "job_class", "support_level"]
    list_filter = ["support_level", "local", "left_at"]
    search_fields = ["first_name", "last_name", "employee_id", "work_email", "personal_email"]
    autocomplete_fields = ["building"]
    list_select_related = ["building"]

    def get_search_results(self, request, queryset, search_term):
        """The admin's own search, plus the app's: names without their accents or apostrophes."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.filter(pk__in=queryset.search(search_term).values("pk"))
        return results, duplicates


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "local", "bargaining_target_date"]
    list_filter = ["local"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "phase", "due_on", "done_at"]
    list_filter = ["campaign"]
    search_fields = ["title"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["kind", "campaign", "lead"]
    list_filter = ["campaign"]
    filter_horizontal = ["members"]


@admin.register(StructureTest)
class StructureTestAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "held_on"]
    list_filter = ["campaign"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "local",
        "created_at",
        "imported_at",
        "added",
        "updated",
        "left",
    ]
    list_filter = ["local"]
    readonly_fields = ["mapping"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "taken_on"]
    list_filter = ["campaign"]
