from django import forms

from common.periods import QUARTER_CHOICES
from meetings.models import Meeting

from .models import Rule


class ItemForm(forms.Form):
    member = forms.TypedChoiceField(label="党员", coerce=int)
    rule = forms.TypedChoiceField(label="积分项目", coerce=int)
    occurred_on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="事由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.rules = {r.pk: r for r in rules}
        self.fields["member"].choices = [("", "请选择")] + [(m.pk, m.name) for m in members]
        self.fields["rule"].choices = [("", "请选择")] + [
            (r.pk, f"{r.name}({r.points:+g}分{',需' + r.evidence if r.evidence else ''})") for r in rules
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "member": self.members[data["member"]],
            "rule": self.rules[data["rule"]],
            "occurred_on": data["occurred_on"],
            "reason": data["reason"],
        }


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予通过的理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=QUARTER_CHOICES)
    starts_on = forms.DateField(label="公示开始", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="公示结束", widget=forms.DateInput(attrs={"type": "date"}))


class ObjectionForm(forms.Form):
    member = forms.TypedChoiceField(label="提出异议的党员", coerce=int)
    raised_on = forms.DateField(label="提出日期", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="异议内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["member"].choices = [("", "请选择")] + [(m.pk, m.name) for m in members]

    def service_fields(self) -> dict:
        return {**self.cleaned_data, "member": self.members[self.cleaned_data["member"]]}


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RuleSetForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    star2_min = forms.DecimalField(label="二星最低分", max_digits=7, decimal_places=1)
    star3_min = forms.DecimalField(label="三星最低分", max_digits=7, decimal_places=1)
    star4_min = forms.DecimalField(label="四星最低分", max_digits=7, decimal_places=1)
    star5_min = forms.DecimalField(label="五星最低分", max_digits=7, decimal_places=1)
    excellent_top_percent = forms.IntegerField(
        label="优秀限积分排名前(%)", min_value=0, max_value=100, help_text="0 表示不限制"
    )


KIND_CHOICES = [("", "全部类型")] + list(Meeting.Kind.choices)


class RuleForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=Rule.Category.choices)
    name = forms.CharField(label="积分项目", max_length=100)
    source = forms.ChoiceField(label="来源", choices=Rule.Source.choices)
    meeting_kind = forms.ChoiceField(label="会议类型", choices=KIND_CHOICES, required=False)
    points = forms.DecimalField(label="每次分值(扣分为负)", max_digits=5, decimal_places=1)
    cap_month = forms.DecimalField(label="每月上限", max_digits=6, decimal_places=1, required=False)
    cap_year = forms.DecimalField(label="每年上限", max_digits=6, decimal_places=1, required=False)
    evidence = forms.CharField(label="所需佐证(人工登记)", max_length=200, required=False)


class CopyForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
