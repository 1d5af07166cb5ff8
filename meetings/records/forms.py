"""Forms for 谈心谈话 and 民主评议党员. They only shape input; the rules live in meetings/records/services.py."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from branches.models import Member, Organization
from branches.selectors import members_during

from ..models import MemberReview


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def talk_roster(branch: Organization, *, keep_ids=()):
    """Members a talk can name: whoever belonged to the branch since the start of last year (talks are often logged
    late), plus whoever an existing record already names."""
    today = timezone.localdate()
    during = members_during(branch, datetime.date(today.year - 1, 1, 1), today).values("pk")
    return Member.objects.filter(Q(pk__in=during) | Q(pk__in=list(keep_ids))).order_by("name", "id")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TalkForm(forms.Form):
    held_on = forms.DateField(label="谈话日期", widget=DateInput())
    initiator = MemberChoiceField(label="谈话人", queryset=Member.objects.none(), empty_label="请选择谈话人")
    participants = MemberMultipleChoiceField(
        label="谈话对象",
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="可多选:一次谈话可以覆盖多名党员。",
    )
    summary = forms.CharField(
        label="谈话内容摘要",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "谈了什么、有何问题、如何跟进"}),
    )

    def __init__(self, *args, branch: Organization, keep_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        roster = talk_roster(branch, keep_ids=keep_ids)
        self.fields["initiator"].queryset = roster
        self.fields["participants"].queryset = roster
        if not self.is_bound and "held_on" not in self.initial:
            self.initial["held_on"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        initiator, participants = cleaned.get("initiator"), cleaned.get("participants")
        if initiator and participants and initiator in participants:
            self.add_error("participants", "谈话人不能同时是谈话对象。")
        return cleaned


GRADE_CHOICES = [("", "—未评—"), *MemberReview.Grade.choices]


class ReviewYearForm(forms.Form):
    """The whole branch on one screen: a grade select and a notes box per member."""

    decided_on = forms.DateField(label="评议会议日期", widget=DateInput())

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            review = row.review
            grade = forms.ChoiceField(label=row.member.name, choices=GRADE_CHOICES, required=False)
            notes = forms.CharField(label="备注", max_length=500, required=False)
            if row.elsewhere:
                grade.disabled = notes.disabled = True
            self.fields[f"grade_{row.member.pk}"] = grade
            self.fields[f"notes_{row.member.pk}"] = notes
            if review is not None:
                self.initial.setdefault(f"grade_{row.member.pk}", review.grade)
                self.initial.setdefault(f"notes_{row.member.pk}", review.notes)
                self.initial.setdefault("decided_on", review.decided_on)
        self.initial.setdefault("decided_on", timezone.localdate())

    def table(self):
        """(row, grade field, notes field) for the template."""
        return [(row, self[f"grade_{row.member.pk}"], self[f"notes_{row.member.pk}"]) for row in self.rows]

    def grades(self) -> dict[int, tuple[str, str]]:
        """Rows with a grade chosen; rows left blank are not graded yet (partial progress is allowed)."""
        result = {}
        for row in self.rows:
            if row.elsewhere:
                continue
            grade = self.cleaned_data.get(f"grade_{row.member.pk}")
            if grade:
                result[row.member.pk] = (grade, self.cleaned_data.get(f"notes_{row.member.pk}", ""))
        return result


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label="处置情况",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如:限期改正、劝其退党"}),
    )
