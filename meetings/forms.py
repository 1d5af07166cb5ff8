"""Forms of the meeting pages. They parse and present; the rules are in meetings/services.py."""

import datetime

from django import forms
from django.utils import timezone

from branches.models import Organization

from . import selectors, services
from .completeness import AGENDA_KINDS
from .models import Attendance, Meeting, MeetingAttachment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SHORT_TEXT = {"rows": 2}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BootstrapMixin:
    """Bootstrap classes on forms rendered field by field (the others go through crispy)."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class MeetingFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "主题、地点、组织"}))
    org = forms.CharField(label="组织编码", required=False)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *Meeting.Kind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Meeting.Status.choices])
    date_from = forms.DateField(label="开始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="结束日期", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["date_from"].widget.attrs["aria-label"] = "开始日期"
        self.fields["date_to"].widget.attrs["aria-label"] = "结束日期"


def _agenda_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _MeetingFieldsForm(forms.Form):
    """The plan fields shared by the plan and edit forms."""

    date = forms.DateField(label="会议日期", widget=DATE)
    start_time = forms.TimeField(label="开始时间", required=False, widget=TIME)
    end_time = forms.TimeField(label="结束时间", required=False, widget=TIME)
    place = forms.CharField(label="地点", required=False, max_length=200)
    topic = forms.CharField(label="会议主题", max_length=200)
    host = MemberChoiceField(label="主持人", required=False, queryset=None)
    host_role = forms.CharField(label="主持人职务", required=False, max_length=50)
    recorder = MemberChoiceField(label="记录人", required=False, queryset=None)
    lecturer = MemberChoiceField(label="授课人(本组织党员)", required=False, queryset=None)
    lecturer_name = forms.CharField(label="外请授课人姓名", required=False, max_length=100)
    first_topic = forms.CharField(
        label="第一议题(学习内容)",
        required=False,
        max_length=300,
        help_text="学习习近平新时代中国特色社会主义思想和党中央最新精神,作为会议第一项议题。",
    )
    agenda = forms.CharField(label="其他议题(每行一项)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organization: Organization, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        members = selectors.organization_members(organization)
        for name in ("host", "recorder", "lecturer"):
            self.fields[name].queryset = members
        if kind and kind != Meeting.Kind.PARTY_LECTURE:
            del self.fields["lecturer"], self.fields["lecturer_name"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["agenda"] = _agenda_lines(data.get("agenda", ""))
        return data


def far_ahead(day: datetime.date, today: datetime.date) -> bool:
    """A plan date that is more likely a typo than a plan: more than a year ahead, or in a later year than next."""
    return day > today + datetime.timedelta(days=365) or day.year > today.year + 1


class FarDateConfirmMixin:
    """A date far ahead (far_ahead()) is saved only once the user ticks 日期无误 (the box appears with the question)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_far_date_confirm()

    def clean(self):
        data = super().clean()
        self._check_far_date(data)
        return data

    def _add_far_date_confirm(self):
        posted = self.fields["date"].widget.value_from_datadict(self.data, self.files, self.add_prefix("date"))
        try:
            day = datetime.date.fromisoformat(posted or "")
        except ValueError:
            return
        if self.is_bound and far_ahead(day, timezone.localdate()):
            self.fields["confirm_far_date"] = forms.BooleanField(label="日期无误,确实安排在这一天", required=False)

    def _check_far_date(self, data):
        day = data.get("date")
        if day and "confirm_far_date" in self.fields and not data.get("confirm_far_date"):
            self.add_error(
                "date", f"会议日期是 {day.year}年{day.month}月{day.day}日,离现在一年以上;请核对,无误请勾选“日期无误”。"
            )

    def service_fields(self) -> dict:
        data = super().service_fields()
        data.pop("confirm_far_date", None)
        return data


class MeetingPlanForm(FarDateConfirmMixin, _MeetingFieldsForm):
    kind = forms.ChoiceField(label="会议类型", choices=Meeting.Kind.choices)
    group = forms.ModelChoiceField(label="党小组(党小组会)", required=False, queryset=Organization.objects.none())

    field_order = ["kind", "group", "date", "topic"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        self.fields["group"].queryset = Organization.objects.filter(
            path__startswith=organization.path,
            depth=organization.depth + 1,
            kind=Organization.Kind.GROUP,
            status=Organization.Status.ACTIVE,
        )
        kinds = [(k.value, k.label) for k in Meeting.Kind if organization.kind in services.KIND_ORGANIZATION_KINDS[k]]
        self.fields["kind"].choices = kinds
        if not self.fields["group"].queryset.exists():
            del self.fields["group"]


def meeting_initial(meeting: Meeting) -> dict:
    initial = {name: getattr(meeting, name) for name in services.EDITABLE_FIELDS}
    initial["agenda"] = "\n".join(
        item.title for item in meeting.agenda_items.order_by("order") if not item.is_first_topic
    )
    return initial


class MeetingEditForm(FarDateConfirmMixin, _MeetingFieldsForm):
    """Edit a planned meeting's plan (kind, organization and group are fixed: delete and plan again)."""


class MeetingRecordForm(BootstrapMixin, _MeetingFieldsForm):
    """会中有记录, one screen: the roll (present toggles, absentees pick a reason) and the record fields."""

    content = forms.CharField(label="会议内容及讨论情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    votes = forms.CharField(label="表决情况", required=False, widget=forms.Textarea(attrs=SHORT_TEXT))
    resolutions = forms.CharField(label="会议决议", required=False, widget=forms.Textarea(attrs=SHORT_TEXT))
    open_items = forms.CharField(label="待办事项", required=False, widget=forms.Textarea(attrs=SHORT_TEXT))
    non_member_attendees = forms.CharField(label="列席人员", required=False, max_length=300)

    REASONS = [("", "请选择原因"), *Attendance.AbsenceReason.choices]

    def __init__(self, *args, rows: list[Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"present_{row.member_id}"] = forms.BooleanField(label=row.member.name, required=False)
            self.fields[f"reason_{row.member_id}"] = forms.ChoiceField(
                label="缺席原因", required=False, choices=self.REASONS
            )
            self.fields[f"note_{row.member_id}"] = forms.CharField(label="说明", required=False, max_length=200)
            if not self.is_bound:
                self.initial[f"present_{row.member_id}"] = row.present
                self.initial[f"reason_{row.member_id}"] = row.absence_reason
                self.initial[f"note_{row.member_id}"] = row.note
        self._style()

    def roll(self):
        """(attendance row, present field, reason field, note field) for the template."""
        return [
            (row, self[f"present_{row.member_id}"], self[f"reason_{row.member_id}"], self[f"note_{row.member_id}"])
            for row in self.rows
        ]

    def clean(self):
        data = super().clean()
        for row in self.rows:
            if not data.get(f"present_{row.member_id}") and not data.get(f"reason_{row.member_id}"):
                self.add_error(f"reason_{row.member_id}", f"请选择 {row.member.name} 的缺席原因。")
        return data

    def absent(self) -> dict:
        data = self.cleaned_data
        return {
            row.member_id: (data[f"reason_{row.member_id}"], data[f"note_{row.member_id}"])
            for row in self.rows
            if not data.get(f"present_{row.member_id}")
        }

    def service_fields(self) -> dict:
        data = super().service_fields()
        return {k: v for k, v in data.items() if not k.startswith(("present_", "reason_", "note_"))}


AMENDABLE_LABELS = [(name, Meeting._meta.get_field(name).verbose_name) for name in services.AMENDABLE_FIELDS]


ATTENDANCE = "attendance"
PRESENT = "present"


class AmendmentForm(forms.Form):
    """One correction: a field of the record (its new text), or one person's attendance (出席 or an absence with its
    reason), which the service applies to the roll."""

    field = forms.ChoiceField(label="更正项目", choices=[*AMENDABLE_LABELS, (ATTENDANCE, "出席情况")])
    new_value = forms.CharField(label="更正为", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    member = forms.TypedChoiceField(label="人员(更正出席情况时)", coerce=int, required=False, empty_value=None)
    attendance = forms.ChoiceField(
        label="出席情况更正为",
        required=False,
        choices=[("", "—"), (PRESENT, "出席"), *[(v, f"缺席({n})") for v, n in Attendance.AbsenceReason.choices]],
    )
    reason = forms.CharField(label="更正原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, roll=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *[(m.pk, m.name) for m in roll]]

    def clean(self):
        data = super().clean()
        if data.get("field") == ATTENDANCE:
            if not data.get("member"):
                self.add_error("member", "请选择要更正出席情况的人员。")
            if not data.get("attendance"):
                self.add_error("attendance", "请选择更正后的出席情况。")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        if data["field"] != ATTENDANCE:
            return {"reason": data["reason"], "changes": {data["field"]: data["new_value"]}}
        state = data["attendance"]
        entry = None if state == PRESENT else (state, data["new_value"])  # the note of an absence: 更正为
        return {"reason": data["reason"], "attendance": {data["member"]: entry}}


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="附件类型", choices=MeetingAttachment.Kind.choices)
    file = forms.FileField(
        label="文件",
        help_text="JPG、PNG 或 PDF,不超过 10 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CalendarForm(forms.Form):
    org = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)


class YearPlanForm(forms.Form):
    org = forms.CharField(label="组织编码", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)

    def year_or(self, today: datetime.date) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or today.year


class RollRow:
    """A row of the roll before the meeting exists (the 记录会议 screen): everyone expected, present."""

    present, absence_reason, note = True, "", ""

    def __init__(self, member):
        self.member, self.member_id, self.voting = member, member.pk, getattr(member, "voting", True)


class MeetingQuickRecordForm(MeetingRecordForm):
    """记录会议, one screen: the record form over the roll of a meeting not yet in the database (meetings/quick_record.py
    gives the rows and the defaults). The 党小组 and the kind come from the page's address, not from fields."""

    def __init__(self, *args, setup, **kwargs):
        initial = {
            "date": setup.date,
            "topic": setup.topic,
            "host": setup.host,
            "host_role": "书记" if setup.host is not None else "",
            "recorder": setup.recorder,
        }
        if setup.kind in AGENDA_KINDS:
            initial["agenda"] = setup.topic  # the 议题 of the day, to correct when it was another
        super().__init__(
            *args,
            organization=setup.organization,
            kind=setup.kind,
            rows=[RollRow(m) for m in setup.roll],
            initial=initial,
            **kwargs,
        )
        if setup.kind == Meeting.Kind.PARTY_LECTURE:
            self.fields["lecturer"].initial = setup.host
