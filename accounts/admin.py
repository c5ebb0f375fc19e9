from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, User, organizing_changed


class CountedOnTheDashboard:
    """For the admin of rows the organizing dashboard counts: every save and delete moves the
    version of the locals it touches, inside the admin's own transaction (the change form, the
    delete page and the delete action each run in one)."""

    def locals_of(self, obj) -> list[int]:
        return [obj.local_id]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A row moved to another local changes the numbers of both.
        organizing_changed(*self.locals_of(form.instance), form.initial.get("local"))

    def delete_model(self, request, obj):
        local_ids = self.locals_of(obj)
        super().delete_model(request, obj)
        organizing_changed(*local_ids)

    def delete_queryset(self, request, queryset):
        local_ids = [pk for obj in queryset for pk in self.locals_of(obj)]
        super().delete_queryset(request, queryset)
        organizing_changed(*local_ids)


@admin.register(User)
class UserAdmin(CountedOnTheDashboard, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def locals_of(self, obj) -> list[int]:
        # Deleting a person takes their roles, and a steward's buildings, with them.
        return list(obj.memberships.values_list("local_id", flat=True))


@admin.register(Membership)
class MembershipAdmin(CountedOnTheDashboard, admin.ModelAdmin):
    list_display = ["user", "local", "role", "organisation"]
    list_filter = ["role", "local"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["buildings"]
    list_select_related = ["user", "local", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "local", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "local"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "sent_at", "accepted_at", "accepted_by", "revoked_at"]
    list_select_related = ["local"]
