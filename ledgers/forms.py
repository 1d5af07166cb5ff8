from django import forms
from django.utils import timezone

from branches.models import Organization


class ExportForm(forms.Form):
    """导出下级全部支部台账: an organization the user may read (listed), and a year."""

    organization = forms.ChoiceField(
        label="导出范围", help_text="导出该组织下全部党支部的三本一表:每个支部一个 Excel 工作簿,打包为一个 zip 文件。"
    )
    year = forms.IntegerField(label="年度", min_value=1921)

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.code, f"{o.name}({o.get_kind_display()})") for o in organizations]
        self.today = timezone.localdate()
        self.fields["year"].widget.attrs.update({"max": self.today.year, "inputmode": "numeric"})
        self.initial.setdefault("year", self.today.year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > self.today.year:
            raise forms.ValidationError(f"{year}年尚未开始,不能导出。")
        return year
