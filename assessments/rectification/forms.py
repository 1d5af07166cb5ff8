"""Forms of the 整改 pages: the committee's confirmation, a reason (dismiss, send back), the report, the close."""

from django import forms

from branches.models import Member


class BootstrapForm(forms.Form):
    """Fields styled for the phone (Bootstrap's form-control / form-select): nothing wider than the screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ConfirmForm(BootstrapForm):
    deadline = forms.DateField(label="整改时限", widget=forms.DateInput(attrs={"type": "date"}))
    responsible_member = forms.ModelChoiceField(label="责任人(党员)", queryset=Member.objects.none(), required=False)
    responsible_text = forms.CharField(label="或填写责任人", max_length=100, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_member"].queryset = Member.objects.filter(
            organization_id=item.organization_id, status__in=Member.COUNTED_STATUSES
        ).order_by("name")


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(BootstrapForm):
    measures = forms.CharField(label="整改措施和成效", widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(BootstrapForm):
    note = forms.CharField(label="核验意见", max_length=500, required=False)
