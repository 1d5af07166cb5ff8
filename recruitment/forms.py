"""Forms for the path. The record-a-step form shows only the fields of the chosen step, so that it fits one screen
on a phone (375 px); the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organization
from meetings.models import Meeting

from . import rules
from .models import Outcome, Person

DATE = forms.DateInput(attrs={"type": "date"})

# The fields each step asks for beyond date, 经办人 and 说明.
STEP_FIELDS = {
    2: ("late_reason",),
    3: ("meeting",),
    7: ("meeting",),
    12: ("meeting",),
    4: ("document_number",),
    5: ("member_1", "member_2"),
    8: ("document_number",),
    9: ("member_1", "member_2"),
    11: ("training_days", "training_hours"),
    13: ("document_number",),
    15: ("meeting", "votes_for", "votes_against", "votes_abstain", "outcome"),
    17: ("document_number", "late_reason"),
    18: ("document_number",),
    23: ("meeting", "votes_for", "votes_against", "votes_abstain", "outcome", "extension_months"),
    24: ("document_number", "late_reason"),
}
MEMBER_LABELS = {5: ("培养联系人一", "培养联系人二(可选)"), 9: ("入党介绍人一", "入党介绍人二")}


class PersonForm(forms.ModelForm):
    applied_on = forms.DateField(label=_("递交入党申请书日期"), widget=DATE)

    class Meta:
        model = Person
        fields = ("name", "gender", "birth_date", "id_number", "ethnicity", "education", "phone", "position")
        widgets = {"birth_date": DATE}


class StepForm(forms.Form):
    """`numbers`: the steps this user may record now; `number`: the one shown."""

    number = forms.TypedChoiceField(
        label=_("步骤"),
        coerce=int,
        error_messages={"invalid_choice": _("该步骤现在不能记录,或应由上级党委记录。")},
    )
    date = forms.DateField(label=_("日期"), widget=DATE)
    done_by = forms.CharField(label=_("经办人/谈话人"), max_length=100, required=False)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    late_reason = forms.CharField(label=_("超期原因(超期时必填)"), max_length=200, required=False)
    member_1 = forms.ModelChoiceField(label=_("联系人/介绍人一"), queryset=Member.objects.none(), required=False)
    member_2 = forms.ModelChoiceField(label=_("联系人/介绍人二"), queryset=Member.objects.none(), required=False)
    training_days = forms.IntegerField(label=_("培训天数"), min_value=0, max_value=365, required=False)
    training_hours = forms.IntegerField(label=_("培训学时"), min_value=0, max_value=2000, required=False)
    meeting = forms.ModelChoiceField(label=_("支部党员大会记录"), queryset=Meeting.objects.none(), required=False)
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, max_value=1000, required=False)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, max_value=1000, required=False)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, max_value=1000, required=False)
    publicity_start = forms.DateField(label=_("公示开始"), widget=DATE, required=False)
    publicity_end = forms.DateField(label=_("公示结束"), widget=DATE, required=False)
    outcome = forms.ChoiceField(label=_("讨论结果"), choices=[("", "---------"), *Outcome.choices], required=False)
    extension_months = forms.IntegerField(label=_("延长预备期(月)"), min_value=6, max_value=12, required=False)
    file = forms.FileField(label=_("材料扫描件(JPG/PNG/PDF,可选)"), required=False)

    def __init__(self, *args, person: Person, numbers: list[int], number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [(n, f"{n}. {rules.STEP_RULES[n].name}") for n in numbers]
        self.fields["number"].initial = number
        wanted = {"number", "date", "done_by", "notes", "file", *STEP_FIELDS.get(number, ())}
        if number == rules.publicity_step():
            wanted |= {"publicity_start", "publicity_end"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if number in rules.WRITTEN_RECORDS and rules.setting("RECRUITMENT_WRITTEN_RECORDS"):
            labels = {7: _("说明(必填:听取党小组、培养联系人、党员和群众意见的情况)"), 10: _("说明(必填:政治审查结论)")}
            self.fields["notes"].label = labels[number]
        if "outcome" in self.fields:
            # 15: passed (nothing to choose) or recorded as not passed; 23: 转正, 延长 or 取消.
            wanted_outcomes = [Outcome.REJECTED] if number == 15 else [Outcome.CONVERT, Outcome.EXTEND, Outcome.CANCEL]
            blank = "表决通过" if number == 15 else "---------"
            self.fields["outcome"].choices = [("", blank)] + [(o.value, o.label) for o in wanted_outcomes]
        if "member_1" in self.fields:
            full = Member.objects.full().filter(
                organization__path__startswith=person.branch.path, status__in=("normal", "mobile")
            )
            self.fields["member_1"].queryset = self.fields["member_2"].queryset = full.order_by("name")
            self.fields["member_1"].label, self.fields["member_2"].label = MEMBER_LABELS[number]
        if "meeting" in self.fields:
            deciding = number in (3, 7, 12)  # the 支委会 (or the 支部大会 where there is none), optional
            kinds = (
                [Meeting.Kind.BRANCH_COMMITTEE, Meeting.Kind.BRANCH_ASSEMBLY]
                if deciding
                else [Meeting.Kind.BRANCH_ASSEMBLY]
            )
            self.fields["meeting"].queryset = (
                Meeting.objects.held().filter(organization=person.branch, kind__in=kinds).order_by("-date")
            )
            if deciding:
                self.fields["meeting"].label = _("作出决定的支委会会议记录(可选)")
            self.fields["meeting"].label_from_instance = lambda m: f"{m.date} {m.topic}"

    def step_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("number", "date", "file")}
        return {k: ("" if v is None and k in ("outcome",) else v) for k, v in data.items()}


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(label=_("转入党支部"), queryset=Organization.objects.none())
    on = forms.DateField(label=_("转接日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches


class LeaveForm(forms.Form):
    on = forms.DateField(label=_("退出日期"), widget=DATE)
    reason = forms.CharField(label=_("退出原因"), max_length=200)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned = forms.IntegerField(label=_("计划发展人数"), min_value=0, max_value=100000)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=100, required=False)
    file = forms.FileField(label=_("文件(JPG/PNG/PDF)"))


class ThoughtReportForm(forms.Form):
    quarter = forms.DateField(
        label=_("所属季度(该季度内任一日期)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    submitted_on = forms.DateField(label=_("提交日期"), widget=DATE)
    notes = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
