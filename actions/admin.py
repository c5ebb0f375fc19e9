from django.contrib import admin

from .models import Action, Evaluation, Reminder, Rsvp, Tactic, Unsubscribe


@admin.register(Tactic)
class TacticAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "position"]
    list_filter = ["campaign"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "tactic", "starts_at", "status", "is_public"]
    list_filter = ["status", "is_public", "campaign"]
    search_fields = ["title"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient_email", "kind", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient_email", "key"]
    raw_id_fields = ["action", "user", "rsvp", "campaign"]


admin.site.register(Rsvp)
admin.site.register(Evaluation)
admin.site.register(Unsubscribe)
