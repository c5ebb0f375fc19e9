from django.contrib import admin

from .models import ApiCall, Delivery, Token, Webhook


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "read_only", "expires_at", "revoked_at"]
    readonly_fields = ["digest", "hint"]


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "method", "path", "status"]
    list_filter = ["status", "method"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "local", "created_at", "removed_at"]
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["key", "webhook", "status", "attempts", "due_at", "delivered_at"]
    list_filter = ["status", "event"]
