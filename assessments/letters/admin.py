"""Admin for responsibility letters: read-only, because every write has rules and goes through services.py
(templates: weights and indicator codes; letters: the lifecycle; classifications: a final letter, the committee's own
branches). The pages under /assessments/letters/ call those services."""

from django.contrib import admin

from .models import BranchClassification, Letter, LetterEvent, LetterItem, LetterTemplate, TemplateItem


class ReadOnlyAdmin:
    """View only: no add, change or delete here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TemplateItemInline(ReadOnlyAdmin, admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["year", "name", "issuer", "created_at"]
    list_filter = ["year"]
    search_fields = ["name", "issuer__name", "issuer__code"]
    raw_id_fields = ["issuer", "source_letter", "created_by"]
    inlines = [TemplateItemInline]


class LetterItemInline(ReadOnlyAdmin, admin.TabularInline):
    model = LetterItem
    extra = 0
    can_delete = False
    fields = ["order", "area", "weight", "indicator_code", "veto", "score", "veto_failed", "comment"]
    readonly_fields = fields


class LetterEventInline(ReadOnlyAdmin, admin.TabularInline):
    model = LetterEvent
    extra = 0
    can_delete = False
    fields = ["status", "user", "at", "note"]
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["year", "recipient", "issuer", "status", "total_score", "grade", "veto_triggered"]
    list_filter = ["year", "status", "grade"]
    search_fields = ["recipient__name", "recipient__code", "issuer__name"]
    list_select_related = ["recipient", "issuer"]
    inlines = [LetterItemInline, LetterEventInline]


@admin.register(BranchClassification)
class BranchClassificationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["year", "organization", "level", "committee", "set_by", "set_at"]
    list_filter = ["year", "level"]
    search_fields = ["organization__name", "organization__code"]
    raw_id_fields = ["organization", "committee", "set_by"]
