from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Jobs are made by the export page and the task; the admin only looks (and may delete old rows)."""

    list_display = ("id", "organization", "year", "user", "status", "done_count", "total", "created_at", "finished_at")
    list_filter = ("status", "year")
    search_fields = ("organization__name", "organization__code", "user__username")
    list_select_related = ("organization", "user")
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
