"""The bulk export reads branches in batches and writes cells on openpyxl's fast path: same workbooks, fewer queries."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bench.management.commands import bench_export
from branches import dues
from branches.models import Organization
from common import xlsx
from ledgers import selectors, services
from tests.factories import make_member, make_organization

from .conftest import YEAR


def cells(book) -> list:
    """Every cell's value and the style facts the print layout depends on, sheet by sheet."""
    out = []
    for ws in book.worksheets:
        out.append((ws.title, ws.freeze_panes, ws.print_title_rows, str(ws.merged_cells)))
        for row in ws.iter_rows():
            for c in row:
                out.append(
                    (c.coordinate, c.value, c.number_format, c.font.name, c.font.b, c.border.left.style,
                     c.alignment.horizontal, c.alignment.wrap_text, c.fill.fgColor.rgb)
                )  # fmt: skip
    return out


def zipped_books(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: load_workbook(io.BytesIO(archive.read(name))) for name in archive.namelist()}


def test_a_branch_in_a_batch_gets_the_same_workbook_as_its_own_download(records, tree, tmp_path, settings):
    settings.LEDGER_EXPORT_BATCH_SIZE = 2  # root's 3 branches: a batch of two, then one
    services.ledger_export_subtree(organization=tree.root, year=YEAR, path=tmp_path / "all.zip")
    books = zipped_books(tmp_path / "all.zip")
    assert len(books) == 3
    for branch in Organization.objects.under(tree.root).branches():
        alone = tmp_path / f"{branch.code}.xlsx"
        services.ledger_write(branch=branch, year=YEAR, out=alone)
        batched = books[f"{branch.code}_{branch.name}.xlsx"]
        assert cells(batched) == cells(load_workbook(alone)), branch.code


def test_bulk_export_queries_do_not_grow_with_the_number_of_branches(
    records, tree, tmp_path, django_assert_max_num_queries
):
    # One query per record type per batch (about 15), whatever the number of branches in the batch.
    with django_assert_max_num_queries(16):
        assert services.ledger_export_subtree(organization=tree.root, year=YEAR, path=tmp_path / "a.zip") == 3
    for i in range(4):
        branch = make_organization(tree.committee_a, Organization.Kind.BRANCH, code=f"EA-B{i + 5}", name=f"新支部{i}")
        for j in range(3):
            make_member(branch, name=f"新{i}-{j}")
    with django_assert_max_num_queries(16):
        assert services.ledger_export_subtree(organization=tree.root, year=YEAR, path=tmp_path / "b.zip") == 7


def test_batches_of_one_read_each_branch_alone(records, tree, tmp_path, settings, django_assert_max_num_queries):
    settings.LEDGER_EXPORT_BATCH_SIZE = 1
    with django_assert_max_num_queries(1 + 3 * 14):
        services.ledger_export_subtree(organization=tree.root, year=YEAR, path=tmp_path / "a.zip")


def test_the_fast_cell_path_is_active_on_the_installed_openpyxl():
    # The fast path replaces WriteOnlyWorksheet._values_to_row; if an openpyxl upgrade drops it, exports still work
    # (the public path, tested below) but become several times slower: this test says so.
    assert xlsx.FAST_CELLS


def test_fast_and_public_cell_paths_write_identical_workbooks(records, tree, tmp_path, monkeypatch):
    services.ledger_write(branch=tree.branch_a, year=YEAR, out=tmp_path / "fast.xlsx")
    monkeypatch.setattr(xlsx, "FAST_CELLS", False)
    services.ledger_write(branch=tree.branch_a, year=YEAR, out=tmp_path / "public.xlsx")
    fast, public = load_workbook(tmp_path / "fast.xlsx"), load_workbook(tmp_path / "public.xlsx")
    assert cells(fast) == cells(public)
    assert fast["会议记录本"]["B10"].value.startswith("'=HYPERLINK(")  # formula injection neutralised both ways


def test_cells_of_every_type_keep_their_value_and_format(tree, tmp_path):
    book, styles = xlsx.new_workbook()
    columns = [xlsx.Column("文本", 10), xlsx.Column("日期", 10, "date"), xlsx.Column("金额", 8, "money")]
    sheet = xlsx.Sheet(book, styles, name="测试", title="标题", columns=columns)
    sheet.append(("=1+1", datetime.date(2025, 3, 1), Decimal("12.50")))
    sheet.append((None, "未交", 3))
    sheet.append((datetime.date(2025, 1, 2), None, True))
    with pytest.raises(ValueError, match="2 values for 3 columns"):
        sheet.append(("a", "b"))
    book.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["测试"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("'=1+1", datetime.datetime(2025, 3, 1), 12.5)
    assert rows[1] == (None, "未交", 3)
    assert rows[2][0] == datetime.datetime(2025, 1, 2) and rows[2][2] is True
    assert ws["B3"].number_format == "yyyy-mm-dd" and ws["C3"].number_format == "0.00"
    assert ws["A5"].number_format == "yyyy-mm-dd"  # a date in a text column still shows as a date
    assert ws["B4"].alignment.horizontal == "center" and ws["A4"].border.left.style == "thin"


def test_dues_grid_has_the_states_of_the_dues_page(records, tree, members):
    # selectors.dues_rows mirrors branches.dues.dues_year_grid on rows read in batch: both must agree, also for a
    # member 停止党籍 from March to May (dated standing, issue 11 point 4: those months owe nothing on both).
    from branches import services as member_services
    from branches.models import Member

    suspended = members.a[4]
    member_services.member_update(
        member=suspended, status=Member.Status.SUSPENDED, standing_on=datetime.date(YEAR, 3, 1)
    )
    member_services.member_update(member=suspended, status=Member.Status.NORMAL, standing_on=datetime.date(YEAR, 6, 1))
    member = members.a[3]
    dues.dues_month_record(
        organization=tree.branch_a, month=datetime.date(YEAR, 2, 1),
        rows={member.pk: (Decimal("1.00"), datetime.date(YEAR, 2, 10))},
    )  # fmt: skip
    for today in (datetime.date(YEAR, 3, 15), datetime.date(YEAR + 1, 1, 10)):
        expected = dues.dues_year_grid(tree.branch_a, YEAR, today=today)
        ledger = selectors.ledger_records([tree.branch_a], YEAR)[tree.branch_a.pk]
        got = selectors.dues_rows(ledger, today=today)
        assert [r.member.id for r in got] == [r.member.pk for r in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert [state for state, _payment in mine.cells] == [c.state for c in theirs.cells]
            assert [p and p[5] for _state, p in mine.cells] == [
                c.payment and c.payment.amount_paid for c in theirs.cells
            ]
            assert (mine.paid_total, mine.unpaid_months) == (theirs.paid_total, theirs.unpaid_months)
        march = next(r for r in got if r.member.id == suspended.pk).cells[2][0]
        assert march != "unpaid" and march == next(r for r in got if r.member.id == suspended.pk).cells[3][0]


def test_benchmark_floor_writes_the_same_files_sheets_and_cells_as_the_export(records, tree, tmp_path):
    collect = []
    services.ledger_export_subtree(organization=tree.root, year=YEAR, path=tmp_path / "export.zip", collect=collect)
    shapes = [bench_export._shape(counts) for counts in collect]
    bench_export.floor_files(shapes, tmp_path / "floor.zip")
    exported = list(zipped_books(tmp_path / "export.zip").values())
    floor = list(zipped_books(tmp_path / "floor.zip").values())
    assert len(floor) == len(exported) == 3

    def layout(book):
        return [(ws.title, ws.max_row, ws.max_column) for ws in book.worksheets]

    assert [layout(b) for b in floor] == [layout(b) for b in exported]
    written = sum(
        1 for book in exported for ws in book.worksheets for row in ws.iter_rows() for c in row if c.has_style
    )
    assert bench_export._cells(shapes)[1] == written  # the export writes every cell it counts, styled
