"""Admin for responsibility letters: mostly read-only, because every change of state goes through services.py."""

from django.contrib import admin

from .models import BranchClassification, Letter, LetterEvent, LetterItem, LetterTemplate, TemplateItem


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "issuer", "created_at"]
    list_filter = ["year"]
    search_fields = ["name", "issuer__name", "issuer__code"]
    raw_id_fields = ["issuer", "source_letter", "created_by"]
    inlines = [TemplateItemInline]


class LetterItemInline(admin.TabularInline):
    model = LetterItem
    extra = 0
    can_delete = False
    fields = ["order", "area", "weight", "indicator_code", "veto", "score", "veto_failed", "comment"]
    readonly_fields = fields


class LetterEventInline(admin.TabularInline):
    model = LetterEvent
    extra = 0
    can_delete = False
    fields = ["status", "user", "at", "note"]
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["year", "recipient", "issuer", "status", "total_score", "grade", "veto_triggered"]
    list_filter = ["year", "status", "grade"]
    search_fields = ["recipient__name", "recipient__code", "issuer__name"]
    list_select_related = ["recipient", "issuer"]
    # Scores and states change only through the lifecycle (services.py), never by hand here.
    readonly_fields = [
        "year",
        "issuer",
        "recipient",
        "parent",
        "template",
        "status",
        "issued_on",
        "signed_on",
        "total_score",
        "grade",
        "veto_triggered",
        "innovation",
    ]
    inlines = [LetterItemInline, LetterEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(BranchClassification)
class BranchClassificationAdmin(admin.ModelAdmin):
    list_display = ["year", "organization", "level", "committee", "set_by", "set_at"]
    list_filter = ["year", "level"]
    search_fields = ["organization__name", "organization__code"]
    raw_id_fields = ["organization", "committee", "set_by"]
