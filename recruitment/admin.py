"""Read-only admin: the path is written through services (pages, API, import); the admin only shows it."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DevelopmentPlan, Person, PersonTransfer, Step, StepDocument, ThoughtReport


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    can_delete = False
    fields = ("number", "date", "done_by", "recorded_by", "notes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "branch", "stage", "status", "masked_id")
    list_filter = ("stage", "status")
    search_fields = ("name",)
    exclude = ("id_number",)
    inlines = [StepInline]

    @admin.display(description="身份证号码")
    def masked_id(self, obj):
        return obj.masked_id_number


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ("person", "number", "date", "organization", "recorded_by")
    list_filter = ("number",)


@admin.register(StepDocument)
class StepDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "step", "uploaded_by", "uploaded_at")


@admin.register(PersonTransfer)
class PersonTransferAdmin(admin.ModelAdmin):
    list_display = ("person", "from_branch", "to_branch", "on")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "planned", "set_by")


@admin.register(ThoughtReport)
class ThoughtReportAdmin(ReadOnlyAdmin):
    list_display = ("person", "quarter", "submitted_on", "recorded_by")
