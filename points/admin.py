"""Admin for 党员积分: read-only (every change goes through points/services.py; the history keeps each state)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ManualEvidence, ManualItem, Objection, Publication, Rule, RuleSet


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleInline(ReadOnly, admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["order", "category", "name", "source", "meeting_kind", "points", "cap_month", "cap_year", "evidence"]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "organization", "year", "excellent_top_percent"]
    list_filter = ["year"]
    inlines = [RuleInline]


class EvidenceInline(ReadOnly, admin.TabularInline):
    model = ManualEvidence
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ManualItem)
class ManualItemAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["member", "rule", "organization", "occurred_on", "state", "recorded_by", "decided_by"]
    list_filter = ["state"]
    search_fields = ["member__name", "organization__code", "organization__name"]
    inlines = [EvidenceInline]


class ObjectionInline(ReadOnly, admin.TabularInline):
    model = Objection
    extra = 0
    fields = ["member", "text", "raised_on", "answer", "answered_by", "answered_on"]


@admin.register(Publication)
class PublicationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["organization", "year", "quarter", "starts_on", "ends_on"]
    inlines = [ObjectionInline]
