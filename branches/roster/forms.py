"""The 花名册 upload form."""

from django import forms

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="花名册文件",
        help_text="Excel .xlsx 文件,请使用导入模板填写。",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
