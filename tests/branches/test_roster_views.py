"""The roster pages: template download and upload, against the fixed cast."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Member
from branches.roster import COLUMNS, DATA_SHEET, HELP_SHEET
from tests.branches.fixtures_roster import roster_row, roster_upload, upload, valid_rows

TEMPLATE_URL = reverse("branches:branches_roster_template")
IMPORT_URL = reverse("branches:branches_roster_import")


def test_roster_urls_are_mounted_under_roster():
    assert TEMPLATE_URL == "/roster/template.xlsx"
    assert IMPORT_URL == "/roster/import/"


def test_writer_downloads_the_template_with_the_roster_columns(client_for):
    response = client_for("secretary").get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [DATA_SHEET, HELP_SHEET, "组织编码"]
    data = wb[DATA_SHEET]
    headers = [cell.value for cell in data[1]]
    assert headers == [c.title for c in COLUMNS]
    assert headers[:4] == ["所在党支部编码*", "党小组编码", "姓名*", "性别*"]
    assert data.max_row == 1  # the example lives in the instructions sheet, not among the data
    formulas = {dv.formula1 for dv in data.data_validations.dataValidation}
    assert '"男,女"' in formulas
    assert '"正式党员,预备党员"' in formulas
    assert '"研究生,大学本科,大学专科,中专,高中,初中及以下"' in formulas
    assert '"在职,离退休,学生/失业/低保"' in formulas
    assert '"正常,流动党员,停止党籍"' in formulas
    help_values = [c for row in wb[HELP_SHEET].iter_rows(values_only=True) for c in row if c]
    assert "YYYY-MM-DD" in " ".join(map(str, help_values))
    assert "张三" in help_values  # the example row
    codes = [row[0] for row in wb["组织编码"].iter_rows(min_row=2, values_only=True) if row[0]]
    groups = [row[3] for row in wb["组织编码"].iter_rows(min_row=2, values_only=True) if row[3]]
    assert codes == ["EA-B1"] and groups == ["EA-B1-G1"]


def test_officer_template_lists_every_branch_of_the_committee(client_for):
    wb = load_workbook(io.BytesIO(client_for("committee").get(TEMPLATE_URL).content))
    codes = [row[0] for row in wb["组织编码"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == ["EA-B1", "EA-B2"]


@pytest.mark.parametrize("url", [TEMPLATE_URL, IMPORT_URL])
def test_anonymous_is_sent_to_login(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [TEMPLATE_URL, IMPORT_URL])
def test_reviewer_is_refused(client_for, url):
    assert client_for("sasac").get(url).status_code == 403


def test_reviewer_cannot_post_a_file(client_for, tree):
    response = client_for("sasac").post(IMPORT_URL, {"file": roster_upload(valid_rows(1, "EA-B1"))})
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_user_without_any_role_is_refused(tree):
    client = Client()
    client.force_login(get_user_model().objects.create_user("nobody", password="demo12345"))
    assert client.get(IMPORT_URL).status_code == 403


def test_roster_root_leads_to_the_import_page(client_for):
    response = client_for("secretary").get("/roster/")
    assert response.status_code == 302 and response["Location"] == IMPORT_URL


def test_import_page_shows_the_form_and_the_template_link(client_for):
    response = client_for("secretary").get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and TEMPLATE_URL in html


def test_good_file_is_imported_and_the_page_says_how_many(client_for, tree):
    client = client_for("secretary")
    response = client.post(IMPORT_URL, {"file": roster_upload(valid_rows(3, "EA-B1"), name="一支部.xlsx")})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    html = client.get(IMPORT_URL).content.decode()
    assert "成功导入 <strong>3</strong> 名党员" in html and "一支部.xlsx" in html
    assert reverse("branches:member_list") in html
    assert Member.objects.filter(organization=tree.branch_a).count() == 3
    # The success panel shows once; a reload is a plain form again.
    assert "成功导入" not in client.get(IMPORT_URL).content.decode()


def test_bad_rows_are_listed_and_nothing_is_imported(client_for, tree):
    rows = [roster_row("EA-B1", 1), roster_row("EA-B2", 2), roster_row("EA-B1", 3, gender="未知")]
    response = client_for("secretary").post(IMPORT_URL, {"file": roster_upload(rows, name="有错.xlsx")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何党员" in html and "有错.xlsx" in html
    assert "第 3 行" in html and "未找到该党支部或无权导入" in html
    assert "第 4 行" in html and "不是有效值" in html
    assert "第 2 行" not in html
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("名单.xls", b"\xd0\xcf\x11\xe0", "不是 Excel .xlsx 文件"),
        ("名单.xlsx", b"garbage", "已损坏"),
    ],
)
def test_wrong_or_corrupt_file_is_explained_with_its_name(client_for, tree, name, content, reason):
    response = client_for("secretary").post(IMPORT_URL, {"file": upload(content, name)})
    assert response.status_code == 200
    html = response.content.decode()
    assert reason in html and name in html
    assert not Member.objects.exists()


def test_oversize_file_is_refused_on_the_page(client_for, tree, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 2048
    response = client_for("secretary").post(IMPORT_URL, {"file": roster_upload(valid_rows(60, "EA-B1"))})
    assert "超过" in response.content.decode()
    assert not Member.objects.exists()


def test_missing_file_is_a_form_error(client_for):
    response = client_for("secretary").post(IMPORT_URL, {})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_the_downloaded_template_filled_in_imports(client_for, tree):
    client = client_for("secretary")
    wb = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    keys = [c.key for c in COLUMNS]
    for row in valid_rows(2, "EA-B1"):
        wb[DATA_SHEET].append([row[key] for key in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = client.post(IMPORT_URL, {"file": upload(buffer.getvalue(), "模板.xlsx")})
    assert response.status_code == 302
    assert Member.objects.filter(organization=tree.branch_a).count() == 2
