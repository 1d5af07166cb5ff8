"""common/xlsx.py, the one workbook writer of every export: the one-call table the other exports can use."""

import datetime

from openpyxl import load_workbook

from common import xlsx


def test_table_workbook_is_print_ready_neutralised_and_sized_to_its_text(tmp_path):
    long_text = "会议内容" * 40
    book = xlsx.table_workbook(
        title="企业A 2025年 指标看板", sheet="看板", headers=["组织", "完成率", "说明", "日期"],
        rows=[["=cmd|' /C calc'!A0", 0.85, long_text, datetime.date(2025, 3, 1)], ["第二党支部", 1, "短", None]],
    )  # fmt: skip
    book.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["看板"]
    assert ws["A1"].value == "企业A 2025年 指标看板" and "A1:D1" in str(ws.merged_cells)
    assert [c.value for c in ws[2]] == ["组织", "完成率", "说明", "日期"]
    assert ws["A3"].value.startswith("'=")  # never a formula
    assert ws["D3"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.right.text == "第 &P 页,共 &N 页"
    assert 6 <= ws.column_dimensions["B"].width <= ws.column_dimensions["C"].width <= 60
    # The long text wraps: its row is given the height of its lines; a one-line row keeps the sheet's default.
    lines = xlsx.line_count(long_text, ws.column_dimensions["C"].width)
    assert lines > 1 and ws.row_dimensions[3].height == xlsx.height_pt(lines)
    assert ws.row_dimensions[4].height is None and ws.sheet_format.defaultRowHeight == xlsx.height_pt(1)


def test_line_count_counts_paragraphs_and_wide_characters():
    assert xlsx.line_count("", 20) == 1
    assert xlsx.line_count("一\n二\n三", 20) == 3
    per_line = int((20 * xlsx.UNIT_PT - 2 * xlsx.PADDING_PT) / xlsx.BODY_PT)
    assert xlsx.line_count("党" * per_line, 20) == 1 and xlsx.line_count("党" * (per_line + 1), 20) == 2
    assert xlsx.line_count("a" * per_line, 20) == 1  # a Latin letter is about half a CJK character
    assert xlsx.text_em("党员ab") == 2 + 2 * 0.52


def test_scale_to_fit_says_what_a_fitted_page_prints_at():
    portrait = xlsx.Page()
    assert xlsx.scale_to_fit([10, 20], portrait) == 100
    assert xlsx.scale_to_fit([200], portrait) < 50


def test_fast_and_public_paths_give_the_same_row_heights(tmp_path, monkeypatch):
    def write(name):
        book, styles = xlsx.new_workbook()
        sheet = xlsx.Sheet(book, styles, name="表", title="标题", columns=[xlsx.Column("说明", 10)])
        for text in ("短", "长" * 60, "一\n二\n三", "短"):
            sheet.append([text])
        book.save(tmp_path / name)
        ws = load_workbook(tmp_path / name)["表"]
        return [ws.row_dimensions[r].height for r in range(1, 7)]

    fast = write("fast.xlsx")
    monkeypatch.setattr(xlsx, "FAST_CELLS", False)
    assert write("public.xlsx") == fast
    assert fast[2] is None and fast[3] > fast[4] > xlsx.height_pt(1) and fast[5] is None
