from django.contrib import admin

from .models import Building, Campaign, Local, Member


@admin.register(Local)
class LocalAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "timezone", "require_leader_mfa"]
    search_fields = ["name", "employer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "local", "kind"]
    list_filter = ["kind", "local"]
    search_fields = ["name", "address"]
    list_select_related = ["local"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "building", "job_class", "support_level"]
    list_filter = ["support_level", "local", "left_at"]
    search_fields = ["first_name", "last_name", "employee_id", "work_email", "personal_email"]
    autocomplete_fields = ["building"]
    list_select_related = ["building"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "local", "bargaining_target_date"]
    list_filter = ["local"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
