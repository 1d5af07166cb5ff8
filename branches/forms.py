"""Forms of the branches UI. They collect and check input; every write still goes through services.py."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import access, id_lookup, obligations
from .models import CommitteePosition, ElectionStep, Enterprise, Member, Organization
from .services import MEMBER_EDITABLE_FIELDS
from .validators import normalize_id_number


class DateInput(forms.DateInput):
    """A native date picker (type="date" wants ISO dates)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: on the field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def writable_q(user, prefix: str = "") -> Q:
    """The organizations the user may change, as a Q (prefix: lookup path to the organization)."""
    q = Q(pk__in=[])
    for path, grant, _kind in access.grants(user):
        if grant == access.Access.WRITE:
            q |= Q(**{f"{prefix}path__startswith": path})
    return q


def writable_branches(user):
    return Organization.objects.filter(writable_q(user)).branches().active().select_related("enterprise")


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}({obj.code})"


class MemberChoiceField(forms.ModelChoiceField):
    show_branch = False  # a committee's positions may be held by members of any branch below it

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organization.name}" if self.show_branch else obj.name


# ---------------------------------------------------------------- organizations


class OrganizationCreateForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "code", "kind", "established_on", "enterprise"]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, parent: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = Organization.Kind(parent.kind).child_kinds
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].value
        # Only administrators move an organization into another enterprise; others inherit the parent's.
        if user.is_superuser:
            self.fields["enterprise"].queryset = Enterprise.objects.all()
            self.fields["enterprise"].initial = parent.enterprise_id
            self.fields["enterprise"].help_text = "留空则与上级组织相同"
        else:
            del self.fields["enterprise"]
        self.fields["established_on"].initial = datetime.date.today()


class OrganizationEditForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "enterprise", "established_on", "status"]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            del self.fields["enterprise"]
        if obligations.is_superior(user, self.instance):
            self.fields["reason"] = forms.CharField(
                label="修改原因", required=False, max_length=obligations.REASON_MAX_LENGTH,
                help_text="修改成立日期或状态时必填(如上级批复文号),记入修改记录",
            )  # fmt: skip
        else:
            # 成立日期 and status are what the organization is assessed on: set by its superior (issue 12 point 4).
            del self.fields["established_on"], self.fields["status"]


# ---------------------------------------------------------------- members

_MEMBER_WIDGETS = {
    "birth_date": DateInput(),
    "joined_on": DateInput(),
    "full_on": DateInput(),
    "dues_base": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
}


class MemberForm(forms.ModelForm):
    """Create and edit a member. The ID number field is left out for roles that only see it masked."""

    class Meta:
        model = Member
        fields = list(MEMBER_EDITABLE_FIELDS)
        widgets = _MEMBER_WIDGETS

    def __init__(self, *args, branch: Organization, show_id_number=True, creating=False, user=None, ip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user, self._ip = user, ip  # for the audited ID-number lookup (issue 12 point 2)
        self.fields["group"].queryset = Organization.objects.filter(
            path__startswith=branch.path, kind=Organization.Kind.GROUP
        )
        self.fields["group"].empty_label = "(不分党小组)"
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "maxlength": 18})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        if not show_id_number:
            del self.fields["id_number"]
        # Leaving (出党/去世/转出系统外) closes the 组织关系: it has its own page, not a status edit.
        counted = [(s.value, s.label) for s in Member.Status if s in Member.COUNTED_STATUSES]
        if creating:
            del self.fields["status"]
            self.fields["joined_branch_on"] = forms.DateField(
                label="转入本支部日期",
                required=False,
                widget=DateInput(),
                help_text="组织关系转入本支部的日期;留空则为入党日期",
            )
        elif self.instance.status in Member.COUNTED_STATUSES:
            self.fields["status"].choices = counted
        else:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        category, full_on, joined_on = data.get("category"), data.get("full_on"), data.get("joined_on")
        if category == Member.Category.FULL and not full_on and "full_on" not in self.errors:
            self.add_error("full_on", "正式党员须填写转正日期。")
        if category == Member.Category.PROBATIONARY and full_on:
            self.add_error("full_on", "预备党员尚未转正,请不要填写转正日期。")
        if full_on and joined_on and full_on < joined_on:
            self.add_error("full_on", "转正日期不能早于入党日期。")
        return data

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        refusal = id_lookup.id_number_refusal(
            user=self._user, id_number=value, exclude_pk=self.instance.pk, via="page", ip=self._ip
        )
        if refusal:
            raise forms.ValidationError(refusal)
        return value


class MemberTransferForm(forms.Form):
    to_organization = BranchChoiceField(label="转入党支部", queryset=Organization.objects.none())
    on = forms.DateField(label="转接日期", widget=DateInput(), initial=datetime.date.today)
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="如介绍信编号")

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = writable_branches(user).exclude(pk=member.organization_id)


class MemberLeaveForm(forms.Form):
    status = forms.ChoiceField(
        label="原因",
        choices=[
            (s.value, s.label)
            for s in Member.Status
            if s not in Member.COUNTED_STATUSES
            and s != Member.Status.CANCELLED  # 取消预备党员资格: recruitment step 23
        ],
    )
    on = forms.DateField(label="日期", widget=DateInput(), initial=datetime.date.today)
    note = forms.CharField(label="说明", max_length=200, required=False)


# ---------------------------------------------------------------- committee terms


class TermStartForm(forms.Form):
    started_on = forms.DateField(label="本届开始日期", widget=DateInput(), help_text="党员大会选举产生新一届的日期")
    has_committee = forms.BooleanField(
        label="设立支部委员会",
        required=False,
        initial=True,
        help_text="正式党员7人以上的党支部设立委员会;不足7人只设书记(支部工作条例 第九条)",
    )
    term_years = forms.IntegerField(label="任期(年)", required=False, min_value=1, max_value=10)
    note = forms.CharField(label="备注", max_length=200, required=False)
    approval_document = forms.CharField(
        label="上级批复文号",
        max_length=100,
        required=False,
        help_text="新成立党组织的第一届依据上级党组织批复产生时填写;换届须先登记党员大会选举结果",
    )

    def __init__(self, *args, default_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term_years"].help_text = f"留空按规定任期 {default_years} 年"


class PositionForm(forms.Form):
    member = MemberChoiceField(label="党员", queryset=Member.objects.none(), required=False)
    role = forms.ChoiceField(label="职务", choices=[("", "---------"), *CommitteePosition.Role.choices], required=False)

    def __init__(self, *args, members=None, show_branch=False, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members
        self.fields["member"].show_branch = show_branch

    def clean(self):
        data = super().clean()
        if data.get("member") and not data.get("role"):
            self.add_error("role", "请选择职务。")
        return data


class BasePositionFormSet(forms.BaseFormSet):
    def positions(self) -> list[tuple[Member, str]]:
        return [
            (f.cleaned_data["member"], f.cleaned_data["role"])
            for f in self.forms
            if f.cleaned_data.get("member") and f.cleaned_data.get("role")
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for member, _role in self.positions():
            if member.pk in seen:
                raise ValidationError(f"{member.name} 被填写了两次,一人在一届中只担任一个职务。")
            seen.add(member.pk)


PositionFormSet = forms.formset_factory(PositionForm, formset=BasePositionFormSet, extra=0, max_num=7)
POSITION_ROWS = 7
DEFAULT_ROLES = [
    CommitteePosition.Role.SECRETARY,
    CommitteePosition.Role.DEPUTY_SECRETARY,
    CommitteePosition.Role.ORGANIZATION,
    CommitteePosition.Role.PROPAGANDA,
    CommitteePosition.Role.DISCIPLINE,
    "",
    "",
]


class TermExtendForm(forms.Form):
    months = forms.IntegerField(label="延期(月)", min_value=1, max_value=12, help_text="经上级党组织批准,最长1年")
    approved_on = forms.DateField(label="批准日期", widget=DateInput())
    document = forms.CharField(label="批复文号", max_length=100, required=False)


class TermEarlyElectionForm(forms.Form):
    approved_on = forms.DateField(label="批准日期", widget=DateInput(), help_text="上级党组织批准提前换届的日期")
    document = forms.CharField(label="批复文号", max_length=100, required=False)


class ElectionStepForm(forms.ModelForm):
    """A step of the 换届 procedure. The 党员大会 election itself is recorded on the held meeting's page (its 应到 and
    实到 come from the attendance, never typed), so it is not a choice here."""

    class Meta:
        model = ElectionStep
        fields = ["step", "done_on", "note"]
        widgets = {"done_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [
            (value, label) for value, label in self.fields["step"].choices if value != ElectionStep.Step.ELECTION
        ]
