"""Admin for 整改事项: read-only (every step goes through rectification/services.py and is kept as an event)."""

from django.contrib import admin

from ..letters.admin import ReadOnlyAdmin
from .models import RectificationEvent, RectificationItem


class EventInline(ReadOnlyAdmin, admin.TabularInline):
    model = RectificationEvent
    extra = 0
    fields = ["action", "note", "user", "at"]


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "organization", "committee", "state", "deadline", "closed_at"]
    list_filter = ["state", "origin"]
    search_fields = ["title", "organization__name", "organization__code"]
    inlines = [EventInline]
