from django.contrib import admin

from .models import Broadcast, BroadcastText, Suppression


class BroadcastTextInline(admin.StackedInline):
    model = BroadcastText
    extra = 0


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "audience", "status", "send_at"]
    list_filter = ["status", "audience"]
    inlines = [BroadcastTextInline]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "campaign", "reason", "created_at"]
    list_filter = ["reason"]
