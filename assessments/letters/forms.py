"""Forms of the responsibility-letter UI. They collect and check input; every write goes through services.py."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from ..indicators.selectors import indicator_choices
from ..rubrics.methods import METHOD_CHOICES
from ..rubrics.models import Source
from . import selectors as letter_selectors
from .models import BranchClassification, Letter, LetterTemplate

TEMPLATE_EXTRA_ROWS = 3


class TemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["issuer", "year", "name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Issuer and year are fixed once created: letters and the cascade refer to them.
            del self.fields["issuer"]
            del self.fields["year"]
        else:
            issuers = letter_selectors.issuing_organizations(user)
            self.fields["issuer"].queryset = issuers
            self.fields["issuer"].label_from_instance = lambda o: f"{o.name}({o.code})"
            if len(issuers[:2]) == 1:
                self.fields["issuer"].initial = issuers[0].pk
            self.fields["year"].initial = timezone.localdate().year
            self.fields["name"].initial = f"{timezone.localdate().year}年度党建工作责任书"


class TemplateItemForm(forms.Form):
    area = forms.CharField(label="考核领域", max_length=50)
    content = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label="目标要求", max_length=300, required=False)
    weight = forms.DecimalField(
        label="分值",
        min_value=0,
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "item-weight"}),
    )
    indicator_code = forms.ChoiceField(label="考核依据", required=False)
    veto = forms.BooleanField(label="一票否决", required=False)
    # Blank: today's default (an indicator's rate, or by hand); an empty row stays unchanged.
    method = forms.ChoiceField(label="计分方式", choices=[("", "按指标或人工")] + METHOD_CHOICES, required=False)
    unit_points = forms.DecimalField(label="每次扣分", min_value=0, max_digits=5, decimal_places=2, required=False)
    source = forms.ChoiceField(label="扣分依据", choices=[("", "—")] + list(Source.choices), required=False)

    def __init__(self, *args, indicator_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [("", "人工评分")] + [
            (code, f"指标:{name}") for code, name in indicator_options
        ]


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, year: int, **kwargs):
        self.indicator_options = indicator_choices(year)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"indicator_options": self.indicator_options}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            indicator_options=self.indicator_options,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def items(self) -> list[dict]:
        """The filled, not deleted rows, in order."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        for n, row in enumerate(rows, start=1):
            row["order"] = n
        return rows

    def total(self) -> Decimal:
        return sum((row["weight"] or Decimal(0) for row in self.items() if row.get("method") != "bonus"), Decimal(0))


TemplateItemFormSet = forms.formset_factory(
    TemplateItemForm, formset=BaseItemFormSet, extra=TEMPLATE_EXTRA_ROWS, can_delete=True
)


def item_initial(items) -> list[dict]:
    return [
        {
            "area": i.area,
            "content": i.content,
            "target": i.target,
            "weight": i.weight,
            "indicator_code": i.indicator_code,
            "veto": i.veto,
            "method": i.method,
            "unit_points": i.unit_points,
            "source": i.source,
        }
        for i in items
    ]


class SelfAssessmentForm(forms.Form):
    summary = forms.CharField(label="自评总结", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, letter: Letter, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["summary"].initial = letter.self_assessment
        for item in items:
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=f"{item.order}. {item.area}",
                required=False,
                initial=item.self_assessment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(item, self[f"text_{item.pk}"]) for item in self.items]

    def item_texts(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"text_{item.pk}", "") for item in self.items}


class ReviewForm(forms.Form):
    review_comment = forms.CharField(label="考核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    innovation = forms.BooleanField(label="有创新项目/特色品牌(评定五星的条件)", required=False)

    def __init__(self, *args, letter: Letter, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["review_comment"].initial = letter.review_comment
        self.fields["innovation"].initial = letter.innovation
        for item in items:
            if item.is_computed:
                continue
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label="得分",
                required=False,
                min_value=0,
                max_value=item.weight,
                max_digits=5,
                decimal_places=2,
                initial=item.score,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label="评分说明", required=False, initial=item.comment, widget=forms.Textarea(attrs={"rows": 2})
            )
            if item.veto:
                self.fields[f"veto_{item.pk}"] = forms.BooleanField(
                    label="否决项未达标", required=False, initial=item.veto_failed
                )

    def field(self, name):
        return self[name] if name in self.fields else None

    def manual(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            item.pk: {
                "score": data.get(f"score_{item.pk}"),
                "comment": data.get(f"comment_{item.pk}", ""),
                "veto_failed": data.get(f"veto_{item.pk}", False),
            }
            for item in self.items
            if not item.is_computed
        }


class ClassificationForm(forms.Form):
    """One select per ranked branch on the current page."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", "—")] + list(BranchClassification.Level.choices)
        for row in rows:
            self.fields[f"level_{row.organization.pk}"] = forms.ChoiceField(
                label=row.organization.name,
                choices=choices,
                required=False,
                initial=row.level or row.suggested,
            )

    def levels(self) -> dict[int, str]:
        return {row.organization.pk: self.cleaned_data.get(f"level_{row.organization.pk}", "") for row in self.rows}
