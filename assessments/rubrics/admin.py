"""Admin for 考核细则: read-only (rubrics are defined through rubrics/services.py: points, methods, reuse)."""

from django.contrib import admin

from ..letters.admin import ReadOnlyAdmin
from .models import Rubric, RubricItem


class RubricItemInline(ReadOnlyAdmin, admin.TabularInline):
    model = RubricItem
    extra = 0
    fields = ["parent", "order", "title", "points", "method", "unit_points", "source", "indicator_code"]


@admin.register(Rubric)
class RubricAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["year", "name", "committee", "copied_from", "created_at"]
    list_filter = ["year"]
    search_fields = ["name", "committee__name", "committee__code"]
    inlines = [RubricItemInline]
