"""Admin of the indicator set (8项硬指标): SASAC staff edit a year's set; the defaults (year empty) apply otherwise."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError

from .models import Indicator
from .services import indicator_copy_defaults


class CopyToYearForm(ActionForm):
    year = forms.IntegerField(label="目标年度", required=False, min_value=2000, max_value=2100)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "year_display",
        "code",
        "applies_to",
        "met_threshold",
        "partly_threshold",
        "order",
        "active",
    )
    list_display_links = ("name",)
    list_editable = ("met_threshold", "partly_threshold", "order", "active")
    list_filter = ("year", "applies_to", "active")
    search_fields = ("name", "code", "rule")
    ordering = ("year", "order", "id")
    action_form = CopyToYearForm
    actions = ["copy_to_year"]

    @admin.display(description="年度", ordering="year")
    def year_display(self, obj):
        return obj.year or "默认"

    @admin.action(description="复制默认指标到某年(先选择要复制的指标,再填写目标年度)")
    def copy_to_year(self, request, queryset):
        year = request.POST.get("year", "").strip()
        if not year.isdigit():
            self.message_user(request, "请填写目标年度。", messages.ERROR)
            return
        try:
            created = indicator_copy_defaults(year=int(year), source=queryset.order_by("order", "id"))
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return
        if created:
            self.message_user(request, f"已为{year}年复制{len(created)}项指标,可在下方按年度筛选后修改。")
        else:
            self.message_user(request, f"{year}年已有这些指标,未复制。", messages.WARNING)
