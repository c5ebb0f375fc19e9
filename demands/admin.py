from django.contrib import admin

from .models import Demand, DemandComment, DemandEndorsement, DemandTransition, Target


class TransitionInline(admin.TabularInline):
    model = DemandTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]
    can_delete = False


class EndorsementInline(admin.TabularInline):
    model = DemandEndorsement
    extra = 0


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    """Read mostly: status changes and edits go through the app, which records them."""

    list_display = ["title", "campaign", "category", "status", "version", "published_at"]
    list_filter = ["status", "category"]
    search_fields = ["title", "summary"]
    list_select_related = ["campaign"]
    readonly_fields = ["status", "version", "published_at", "published_by"]
    inlines = [EndorsementInline, TransitionInline]


@admin.register(DemandComment)
class DemandCommentAdmin(admin.ModelAdmin):
    list_display = ["demand", "author", "created_at"]
    list_select_related = ["demand", "author"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "kind", "power", "alignment"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["members"]
