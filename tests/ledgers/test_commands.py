"""manage.py export_ledger."""

import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .conftest import YEAR


def test_export_ledger_writes_a_branch_workbook(records, tmp_path):
    out = tmp_path / "a.xlsx"
    call_command("export_ledger", "--org", "EA-B1", "--year", str(YEAR), "-o", str(out))
    book = load_workbook(out)["会议记录本"]
    assert [
        label
        for (label,) in book.iter_rows(min_row=2, max_col=1, values_only=True)
        if label in ("第1次", "第2次", "第3次", "第4次")
    ] == ["第1次", "第2次", "第3次"]


def test_export_ledger_of_a_committee_writes_a_zip_of_its_branches(records, tmp_path):
    out = tmp_path / "ea.zip"
    call_command("export_ledger", "--org", "EA", "--year", str(YEAR), "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        assert len(archive.namelist()) == 2


@pytest.mark.parametrize(
    ("org", "year", "message"), [("NOPE", YEAR, "没有编码"), ("EA-B1-G1", YEAR, "党小组"), ("EA-B1", 3000, "年度")]
)
def test_export_ledger_refuses_bad_input(tree, tmp_path, org, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_ledger", "--org", org, "--year", str(year), "-o", str(tmp_path / "x.xlsx"))
