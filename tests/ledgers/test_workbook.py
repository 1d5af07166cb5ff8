"""The 三本一表 workbook, reopened by openpyxl and converted by real LibreOffice."""

import csv
import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branches.models import Organization
from ledgers import services, workbook
from tests.factories import make_organization

from .conftest import YEAR

ALL_SHEETS = [*workbook.REQUIRED_SHEETS, *workbook.OPTIONAL_SHEETS]


def export(branch, tmp_path, year=YEAR, name="ledger.xlsx"):
    out = tmp_path / name
    counts = services.ledger_write(branch=branch, year=year, out=out)
    return load_workbook(out), counts


def data_rows(ws, header_rows=1):
    return list(ws.iter_rows(min_row=2 + header_rows, values_only=True))


def meeting_blocks(ws) -> list[dict]:
    """The 会议记录本's blocks: {"序号": "第1次", "header": the header line, <field>: <value>, ...}, a field cut into
    "(续)" rows joined again."""
    blocks = []
    for label, value in ws.iter_rows(min_row=2, values_only=True):
        if label and re.fullmatch(r"第\d+次", label):
            blocks.append({"序号": label, "header": value})
        elif label and not label.endswith("次(续)"):
            field = label.removesuffix("(续)")
            block = blocks[-1]
            block[field] = f"{block[field]}\n{value}" if field in block else value
    return blocks


def test_workbook_has_exactly_the_domain_sheets_in_order(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    assert book.sheetnames == [
        "党员花名册",
        "会议记录本",
        "学习记录本",
        "党费收缴登记本",
        "谈心谈话记录",
        "民主评议结果",
        "换届记录",
    ]


def test_optional_sheets_are_configurable(records, tree, tmp_path, settings):
    settings.LEDGER_OPTIONAL_SHEETS = ()
    book, _ = export(tree.branch_a, tmp_path)
    assert book.sheetnames == list(workbook.REQUIRED_SHEETS)


def test_each_sheet_has_a_title_row_and_the_header_row(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    for name in ALL_SHEETS:
        ws = book[name]
        assert ws["A1"].value == f"甲集团第一党支部 {YEAR}年 {name}"
    assert [c.value for c in book["党员花名册"][2]] == [c.header for c in workbook.ROSTER_COLUMNS]
    assert [c.value for c in book["会议记录本"][2]] == [
        "第1次",
        "支部党员大会  2025年03月10日 09:00–11:00  地点:三楼会议室",
    ]
    assert [c.value for c in book["学习记录本"][2]] == [c.header for c in workbook.STUDY_COLUMNS]
    dues_top = [c.value for c in book["党费收缴登记本"][2]]
    dues_second = [c.value for c in book["党费收缴登记本"][3]]
    assert dues_top[:5] == ["序号", "姓名", "计算基数(元/月)", "交纳比例", "月应交(元)"]
    assert dues_top[5] == "1月" and dues_top[27] == "12月" and dues_top[-2:] == ["全年实交(元)", "欠交月数"]
    assert dues_second[5:7] == ["实交(元)", "交纳日期"]


def test_row_counts_match_the_records_and_planned_meetings_are_left_out(records, members, tree, tmp_path):
    book, counts = export(tree.branch_a, tmp_path)
    # 7 members; the record book has the archived 党员大会, the 支委会 and the 党小组会 (not the planned 主题党日,
    # not the 党课, not last year's meeting); the study book has the 党课 and the 第一议题 of the 党员大会.
    expected = {
        "党员花名册": 7,
        "会议记录本": 3,
        "学习记录本": 2,
        "党费收缴登记本": 7,
        "谈心谈话记录": 1,
        "民主评议结果": 2,
    }
    for name, n in expected.items():
        header_rows = 2 if name == "党费收缴登记本" else 1
        if name == "会议记录本":
            assert len(meeting_blocks(book[name])) == n
        else:
            assert len(data_rows(book[name], header_rows)) == n, name
        assert counts[name] == n
    topics = [block["会议主题"] for block in meeting_blocks(book["会议记录本"])]
    assert "计划中的主题党日" not in topics and "上一年度的会" not in topics
    assert [re.search(r"\d{4}年\d\d月\d\d日", b["header"]).group() for b in meeting_blocks(book["会议记录本"])] == [
        f"{d:%Y年%m月%d日}"
        for d in sorted([datetime.date(YEAR, 3, 10), datetime.date(YEAR, 4, 8), datetime.date(YEAR, 5, 6)])
    ]


def test_meeting_row_carries_the_record_fields(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    by_header = meeting_blocks(book["会议记录本"])[0]
    assert by_header["header"].startswith("支部党员大会 ")  # 会议类型
    assert "09:00–11:00" in by_header["header"]  # 起止时间
    assert by_header["主持人"] == "甲0(书记)" and by_header["记录人"] == "甲2"
    assert by_header["应到/实到"] == "应到 7 人,实到 6 人"
    assert by_header["缺席人员及原因"] == "甲6(请假:出差)"
    assert by_header["议题"].startswith("1. 【第一议题】学习习近平新时代中国特色社会主义思想")
    assert by_header["会议决议"] == "通过年度工作计划"
    assert by_header["状态"].startswith("已归档")


def test_study_book_counts_hours_and_lists_attendees(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    lecture = [r for r in data_rows(book["学习记录本"]) if r[2] == "党课"][0]
    assert lecture[3] == "书记讲党课:传承红色基因" and lecture[4] == "甲0"
    assert lecture[6] == 7 and lecture[7] == 2  # 7 present, 14:00–16:00 = 2 学时


def test_dues_grid_shows_paid_amounts_dates_and_unpaid_months(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    first = data_rows(book["党费收缴登记本"], 2)[0]
    assert first[1] == "甲0" and first[2] == 6000 and first[3] == "1.5%" and first[4] == 90
    assert first[5] == 90 and first[6].date() == datetime.date(YEAR, 1, 15)
    assert first[7] == "未交"
    assert first[-2:] == (90, 11)


def test_id_numbers_are_masked(records, members, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    ids = [row[6] for row in data_rows(book["党员花名册"])]
    assert all("********" in value for value in ids)
    assert not {m.id_number for m in members.a} & set(ids)


def test_values_that_look_like_formulas_are_neutralised(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may hold a formula"
    meeting = meeting_blocks(book["会议记录本"])
    assert meeting[0]["会议内容及讨论情况"].startswith("'=HYPERLINK(")
    assert meeting[0]["表决情况"] == "'+6 同意"
    assert meeting[1]["会议主题"] == "'@研究发展党员工作"
    assert data_rows(book["谈心谈话记录"])[0][4] == "'-谈思想、谈工作"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("正常", "正常"),
     ("a\x00b\x07", "ab")],
)  # fmt: skip
def test_safe_text(value, expected):
    assert workbook.safe_text(value) == expected


def test_sheets_are_print_ready(records, tree, tmp_path):
    book, _ = export(tree.branch_a, tmp_path)
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        if ws.title in ("会议记录本", "党费收缴登记本"):  # issue 13: at 100%, as many pages as they need
            assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
        else:
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert "A1:" in str(ws.merged_cells)  # the title spans the table
        assert ws.column_dimensions["B"].width >= 8
    assert book["会议记录本"].page_setup.orientation == "portrait"  # issue 13: a book, A4 portrait
    assert book["会议记录本"].freeze_panes == "A2" and book["会议记录本"].print_title_rows == "$1:$1"
    assert book["党费收缴登记本"].freeze_panes == "A4" and book["党费收缴登记本"].print_title_rows == "$1:$3"
    assert book["党费收缴登记本"].print_title_cols == "$A:$B"  # 序号 and 姓名 on every page across
    cell = book["会议记录本"]["B10"]  # the first meeting's 会议内容及讨论情况
    assert cell.value.startswith("'=HYPERLINK(")
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"


def test_an_organization_with_no_records_gives_headers_only(tree, tmp_path):
    empty = make_organization(tree.committee_a, Organization.Kind.BRANCH, code="EA-B9", name="新成立支部")
    book, counts = export(empty, tmp_path)
    assert book.sheetnames == ALL_SHEETS
    assert set(counts.values()) == {0}
    for ws in book.worksheets:
        header_rows = {"党费收缴登记本": 2, "会议记录本": 1}.get(ws.title, 1)  # 会议记录本: "<year>年没有会议记录。"
        assert ws.max_row == 1 + header_rows, ws.title


def test_only_branches_have_a_ledger(tree, tmp_path):
    with pytest.raises(Exception, match="按党支部导出"):
        services.ledger_write(branch=tree.committee_a, year=YEAR, out=tmp_path / "x.xlsx")


def test_workbook_build_uses_a_fixed_number_of_queries(records, tree, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        services.ledger_write(branch=tree.branch_a, year=YEAR, out=tmp_path / "a.xlsx")
    # More records, same number of queries.
    from tests.factories import make_member

    for i in range(5):
        make_member(tree.branch_a, name=f"新{i}")
    with django_assert_max_num_queries(16):
        services.ledger_write(branch=tree.branch_a, year=YEAR, out=tmp_path / "b.xlsx")


# ---------------------------------------------------------------- LibreOffice

# Field separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8), first line 1, ..., sheet -1: every sheet to its
# own CSV (LibreOffice >= 7.2).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: `bash scripts/services.sh install` / make test installs it"
        )
    version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout
    major_minor = tuple(int(x) for x in version.split()[1].split(".")[:2])
    if major_minor < (7, 2):
        pytest.skip(f"the per-sheet CSV export needs LibreOffice >= 7.2, found {version.strip()}")
    return path


def test_libreoffice_opens_the_workbook_and_keeps_the_chinese_text(records, tree, tmp_path):
    soffice = _soffice()
    export(tree.branch_a, tmp_path, name="ledger.xlsx")
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs never share one
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", CSV_FILTER,
         "--outdir", str(tmp_path / "csv"), str(tmp_path / "ledger.xlsx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = {p.name: p for p in Path(tmp_path / "csv").glob("*.csv")}
    assert set(files) == {f"ledger-{name}.csv" for name in ALL_SHEETS}, result.stdout

    def read(name):
        with files[f"ledger-{name}.csv"].open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    roster = read("党员花名册")
    assert roster[0][0] == f"甲集团第一党支部 {YEAR}年 党员花名册"
    assert roster[1][:4] == ["序号", "姓名", "性别", "民族"]
    assert len(roster) == 2 + 7 and roster[2][1] == "甲0"
    meetings = {label: value for label, value in read("会议记录本")[1:16]}  # the first meeting's block
    assert meetings["第1次"].startswith("支部党员大会") and meetings["会议主题"] == "学习贯彻全会精神"
    assert "【第一议题】学习习近平新时代中国特色社会主义思想" in meetings["议题"]
    assert meetings["会议内容及讨论情况"].startswith("'=HYPERLINK(")  # text, not a formula result
    assert read("学习记录本")[3][3] == "书记讲党课:传承红色基因"
    assert read("党费收缴登记本")[3][7] == "未交"
