from django import forms
from django.utils import timezone

from branches.models import Organization


class ExportForm(forms.Form):
    """导出下级全部支部台账: an organization the user may read (listed), and a year."""

    organization = forms.ChoiceField(
        label="导出范围", help_text="导出该组织下全部党支部的三本一表:每个支部一个 Excel 工作簿,打包为一个 zip 文件。"
    )
    year = forms.IntegerField(label="年度", min_value=1921)
    with_pdf = forms.BooleanField(
        label="同时生成 PDF",
        required=False,
        help_text="每个支部另附一份 PDF(由 LibreOffice 按工作簿的打印设置生成,用于打印和归档);导出时间会明显变长。",
    )

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
