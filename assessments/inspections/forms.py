"""Forms of the 观摩/督查 pages: opening a round (kind, rubric, organizations, team) and naming a showcase."""

from django import forms
from django.utils import timezone

from branches.people import display_name

from .models import InspectionRound, Showcase


class _UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = display_name(obj)
        return name if name == obj.get_username() else f"{name}({obj.get_username()})"


class _OrgChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class RoundForm(forms.Form):
    title = forms.CharField(label="名称", max_length=150)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="类型", choices=InspectionRound.Kind.choices)
    rubric = forms.ModelChoiceField(label="考核细则", queryset=None, empty_label="(请选择)")
    organizations = _OrgChoice(label="被观摩单位", queryset=None, widget=CHECKBOXES)
    team = _UserChoice(label="观摩组成员", queryset=None, widget=CHECKBOXES)

    def __init__(self, *args, rubrics, organizations, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["rubric"].queryset = rubrics
        self.fields["organizations"].queryset = organizations
        self.fields["team"].queryset = team
        self.fields["rubric"].label_from_instance = lambda r: f"{r.year}年 {r.name}({r.committee.name})"
        _style(self)


class ShowcaseForm(forms.Form):
    organization = forms.ModelChoiceField(label="单位", queryset=None, empty_label="(请选择)")
    kind = forms.ChoiceField(label="类型", choices=Showcase.Kind.choices)
    title = forms.CharField(label="标题", max_length=150)
    description = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda o: o.name
        _style(self)
