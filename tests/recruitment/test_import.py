"""Import of people already on the path: the template's drop-downs, all or nothing, every bad row named in Chinese,
the gates checked on the imported dates."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from branches.validators import make_id_number
from recruitment.imports import HEADER, people_import, template_xlsx
from recruitment.models import Person, Step

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 6, 30)


def row(name, seq, **dates):
    born = D(1995, 3, 4)
    values = {
        "姓名": name,
        "性别": "女",
        "出生日期": born,
        "身份证号码": make_id_number("110101", born, seq),
        "民族": "汉族",
        "学历": "大学本科",
    }
    values.update(dates)
    return [values.get(h) for h in HEADER]


def upload(*rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("people.xlsx", out.getvalue())


GOOD = {
    "1.递交入党申请书日期": D(2024, 1, 10),
    "2.党组织派人谈话日期": D(2024, 1, 20),
    "3.推荐和确定入党积极分子日期": D(2024, 3, 1),
    "4.报上级党委备案日期": D(2024, 3, 10),
    "5.指定培养联系人日期": D(2024, 3, 10),
    "6.培养考察日期(多次用;分隔)": "2024-08-01;2025-01-15",
    "7.确定发展对象日期": D(2025, 3, 5),
    "培养联系人(姓名,多人用;分隔)": "甲0",
}


def test_the_template_has_the_header_and_drop_downs():
    ws = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in ws[1]] == HEADER
    assert len(ws.data_validations.dataValidation) == 2


def test_good_rows_are_imported_with_their_steps(tree, members):
    result = people_import(
        branch=tree.branch_a,
        file=upload(row("甲申请", 1, **GOOD), row("乙申请", 2, **{k: GOOD[k] for k in list(GOOD)[:2]})),
        today=TODAY,
    )
    assert result.errors == [] and result.created == 2
    assert Step.objects.filter(person__name="甲申请").count() == 8
    assert Person.objects.get(name="甲申请").stage == "candidate"


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(tree, members):
    late_talk = dict(GOOD, **{"2.党组织派人谈话日期": D(2024, 3, 1)})
    early_candidate = dict(GOOD, **{"7.确定发展对象日期": D(2025, 2, 1)})
    bad_cells = {"1.递交入党申请书日期": "去年", "性别": "未知"}
    result = people_import(
        branch=tree.branch_a,
        file=upload(
            row("好人", 1, **GOOD),
            row("迟谈话", 2, **late_talk),
            row("未满一年", 3, **early_candidate),
            row("坏格", 4, **bad_cells),
        ),
        today=TODAY,
    )
    assert result.created == 0 and not Person.objects.exists()
    assert len(result.errors) == 3
    assert result.errors[0].startswith("第3行 迟谈话") and "第七条" in result.errors[0]
    assert "第4行 未满一年" in result.errors[1] and "第十三条" in result.errors[1]
    assert "第5行 坏格" in result.errors[2] and "不是有效日期" in result.errors[2] and "性别" in result.errors[2]


def test_the_import_page_lists_the_errors(client_for, tree, members):
    response = client_for("secretary").post(
        f"/recruitment/branch/{tree.branch_a.code}/import/",
        {"file": upload(row("迟谈话", 2, **dict(GOOD, **{"2.党组织派人谈话日期": D(2024, 3, 1)})))},
    )
    assert response.status_code == 200 and "第2行 迟谈话" in response.content.decode()
    ok = client_for("secretary").post(
        f"/recruitment/branch/{tree.branch_a.code}/import/", {"file": upload(row("好人", 1, **GOOD))}
    )
    assert ok.status_code == 302 and Person.objects.filter(name="好人").exists()


def test_a_file_that_is_not_a_workbook_is_refused(client_for, tree, members):
    response = client_for("secretary").post(
        f"/recruitment/branch/{tree.branch_a.code}/import/", {"file": SimpleUploadedFile("x.xlsx", b"not excel")}
    )
    assert "无法读取" in response.content.decode()
