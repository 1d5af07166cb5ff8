from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Delivery, Notification, OrganizationWebhook, ReminderLog


@admin.register(OrganizationWebhook)
class OrganizationWebhookAdmin(admin.ModelAdmin):
    list_display = ("organization", "kind", "enabled", "note", "created_at")
    list_filter = ("kind", "enabled")
    search_fields = ("organization__name", "organization__code", "note")
    autocomplete_fields = ("organization",)
    actions = ("send_test_message",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("发送测试消息"))
    def send_test_message(self, request, queryset):
        for webhook in queryset:
            try:
                services.webhook_post(url=webhook.url, content=f"【测试】{webhook.organization.name}群机器人配置成功。")
            except (services.WebhookTransientError, services.WebhookRejectedError) as exc:
                self.message_user(request, f"{webhook}:发送失败({exc})", messages.ERROR)
            else:
                self.message_user(request, f"{webhook}:测试消息已发送", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "organization", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "body", "recipient__username", "dedupe_key")
    list_select_related = ("recipient", "organization")
    readonly_fields = ("created_at",)
    raw_id_fields = ("recipient", "organization")
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("title", "channel", "status", "address", "webhook", "attempts", "created_at", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("title", "address", "last_error")
    list_select_related = ("webhook__organization",)
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("key", "organization", "threshold", "due_on", "sent_on", "recipients")
    list_filter = ("threshold", "sent_on")
    search_fields = ("key", "organization__name", "organization__code")
    list_select_related = ("organization",)
    readonly_fields = [f.name for f in ReminderLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
