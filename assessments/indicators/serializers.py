"""Serializers of the indicator API (/api/v1/indicators/...): read-only views of the indicator results."""

from rest_framework import serializers

from branches.models import Organization

from .rules import STATUS_LABELS
from .selectors import default_as_of

STATUS_CHOICES = [(code, label) for code, label in STATUS_LABELS.items()]


class IndicatorQuerySerializer(serializers.Serializer):
    """Query parameters shared by both endpoints; errors answer 400 in Chinese."""

    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="考核年度(yyyy),默认为今年",
        error_messages={
            "invalid": "年度应为四位数字,如 2026。",
            "min_value": "年度应不早于2000年。",
            "max_value": "年度应不晚于2100年。",
        },
    )
    as_of = serializers.DateField(
        required=False,
        help_text="截至日期(yyyy-mm-dd),默认为今天(北京时间);此前已结束的周期才计入考核",
        error_messages={"invalid": "截至日期格式应为 yyyy-mm-dd。"},
    )

    def validate(self, attrs):
        as_of = attrs.get("as_of") or default_as_of()
        attrs["as_of"] = as_of
        attrs.setdefault("year", as_of.year)
        return attrs


class ResultsQuerySerializer(IndicatorQuerySerializer):
    org = serializers.CharField(
        help_text="组织编码", error_messages={"required": "请提供组织编码 org。", "blank": "请提供组织编码 org。"}
    )


class SummaryQuerySerializer(IndicatorQuerySerializer):
    under = serializers.CharField(
        help_text="组织编码:该组织及其全部下级",
        error_messages={"required": "请提供组织编码 under。", "blank": "请提供组织编码 under。"},
    )


class GapSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="周期:2026-04 / 2026-Q2 / 2026")
    text = serializers.CharField(help_text="缺少的内容,如“无支委会”“3名党员未谈心谈话”")
    link = serializers.CharField(help_text="查看或补录的页面地址")


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="指标代码,如 three_meetings_one_lesson")
    name = serializers.CharField(help_text="指标名称(当年指标集)")
    required = serializers.IntegerField(help_text="应完成数(已结束的周期,及已完成的当前周期;覆盖类为人数或人·月数)")
    done = serializers.IntegerField(help_text="已完成数")
    rate = serializers.FloatField(allow_null=True, help_text="完成率 0..1;尚无应完成项时为 null")
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, help_text="met 达标 / partly_met 基本达标 / not_met 未达标 / pending 待考核"
    )
    status_label = serializers.CharField(help_text="状态的中文名称")
    missing = serializers.ListField(child=serializers.CharField(), help_text="有缺项的周期,如 2026-04、2026-Q2、2026")
    gaps = GapSerializer(many=True, help_text="每个缺项的说明与链接")
    records_url = serializers.CharField(help_text="该指标所依据记录的页面地址")


class OrganizationBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organization.Kind.choices)


class OrganizationResultsSerializer(serializers.Serializer):
    organization = OrganizationBriefSerializer()
    results = IndicatorResultSerializer(many=True)
