"""The 花名册 import service: every row valid and all imported, or nothing imported and every bad row named."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from branches.models import Member, Membership, Organization
from branches.roster import BRANCH_NOT_FOUND, parse_roster, roster_import, validate_roster
from tests.branches.fixtures_roster import HEADERS, build_roster, id_for, roster_row, roster_upload, upload, valid_rows
from tests.factories import make_organization

K = Organization.Kind


def counts():
    return Member.objects.count(), Membership.objects.count(), Member.history.count()


def errors_by_row(result):
    found = {}
    for error in result.errors:
        found.setdefault(error.row, []).append((error.column, error.message))
    return found


def test_good_file_imports_every_row_with_memberships_and_history(tree, cast):
    rows = valid_rows(4, "EA-B1")
    rows[0]["group_code"] = "EA-B1-G1"
    rows[1]["joined_on"] = "2009/07/01"  # text dates in both accepted forms
    rows[1]["full_on"] = "2010-07-01"
    rows[2].update(category="预备党员", full_on=None, status="流动党员", dues_class="retired", dues_base="3200.50")
    rows[3].update(gender="male" if rows[3]["gender"] == "男" else "female", education="postgraduate")

    result = roster_import(file=roster_upload(rows), user=cast.secretary)

    assert result.ok and result.imported == 4 and result.rows == 4
    members = {m.id_number: m for m in Member.objects.filter(organization=tree.branch_a, name__startswith="导入")}
    assert len(members) == 4
    first = members[rows[0]["id_number"]]
    assert first.group == tree.group_a and first.category == Member.Category.FULL
    second = members[rows[1]["id_number"]]
    assert second.joined_on == datetime.date(2009, 7, 1) and second.full_on == datetime.date(2010, 7, 1)
    third = members[rows[2]["id_number"]]
    assert (third.category, third.full_on, third.status) == (Member.Category.PROBATIONARY, None, Member.Status.MOBILE)
    assert third.dues_class == Member.DuesClass.RETIRED and third.dues_base == Decimal("3200.50")
    assert members[rows[3]["id_number"]].education == Member.Education.POSTGRADUATE
    for member in members.values():
        membership = member.memberships.get()
        assert membership.organization == tree.branch_a
        assert membership.started_on == member.joined_on and membership.ended_on is None
        assert membership.note == "花名册导入"
        history = member.history.get()
        assert history.history_type == "+" and history.history_user == cast.secretary


def test_file_with_bad_rows_imports_nothing_and_names_every_bad_row(tree, cast, members):
    other_group = make_organization(tree.branch_b, K.GROUP, code="EA-B2-G1", name="二支部党小组")
    valid_id = roster_row("EA-B1", 5)["id_number"]
    bad_id = valid_id[:17] + ("0" if valid_id[17] != "0" else "1")
    rows = [
        roster_row("EA-B1", 1),  # row 2: good
        roster_row("EA-B1", 2, name=""),  # 3: required
        roster_row("EA-B1", 3, joined_on="2010-13-45"),  # 4: date that does not exist
        roster_row("EA-B1", 4, joined_on="七月一日"),  # 5: not a date
        roster_row("EA-B1", 5, id_number=bad_id),  # 6: check digit
        roster_row("EA-B1", 6, id_number=roster_row("EA-B1", 1)["id_number"]),  # 7: duplicate of row 2
        roster_row("EA-B1", 7, id_number=members.a[0].id_number),  # 8: already registered (this branch; issue 12.2)
        roster_row("NOPE", 8),  # 9: unknown branch
        roster_row("EA-B2", 9),  # 10: a branch the secretary may not write
        roster_row("EA-B1", 10, group_code=other_group.code),  # 11: group of another branch
        roster_row("EA-B1", 11, full_on=None),  # 12: 正式党员 without 转正日期
        roster_row("EA-B1", 12, category="预备党员", full_on=datetime.date(2020, 1, 1)),  # 13
        roster_row("EA-B1", 13, full_on=datetime.date(1975, 1, 1)),  # 14: 转正 before 入党 (1982)
        roster_row("EA-B1", 14, gender="未知"),  # 15: bad choice
        roster_row("EA-B1", 15, dues_base=-5),  # 16: negative dues base
        roster_row("EA-B1", 16, education="博士后"),  # 17: bad choice
        roster_row("EA-B1", 17, status="出党"),  # 18: not an importable status
    ]
    before = counts()

    result = roster_import(file=roster_upload(rows), user=cast.secretary)

    assert result.imported == 0 and not result.ok
    assert counts() == before
    found = errors_by_row(result)
    assert 2 not in found
    expected = {
        3: ("姓名", "必填项不能为空"),
        4: ("入党日期", "不存在"),
        5: ("入党日期", "YYYY-MM-DD"),
        6: ("身份证号码", "校验位不正确"),
        7: ("身份证号码", "与第2行的身份证号码重复"),
        8: ("身份证号码", "系统中已有该身份证号码的党员"),
        9: ("所在党支部编码", BRANCH_NOT_FOUND),
        10: ("所在党支部编码", BRANCH_NOT_FOUND),
        11: ("党小组编码", "不属于所填党支部"),
        12: ("转正日期", "正式党员须填写转正日期"),
        13: ("转正日期", "预备党员不应填写转正日期"),
        14: ("转正日期", "转正日期不能早于入党日期"),
        15: ("性别", "“未知”不是有效值,应为:男、女"),
        16: ("党费基数", "不能为负数"),
        17: ("学历", "不是有效值"),
        18: ("党籍状态", "只登记在册党员"),
    }
    assert set(found) == set(expected)
    for row, (column, reason) in expected.items():
        assert any(col == column and reason in message for col, message in found[row]), (row, found[row])
    assert result.bad_rows == len(expected)


def test_unknown_and_forbidden_branches_get_the_same_message(tree, cast):
    result = roster_import(file=roster_upload([roster_row("EA-B2", 1), roster_row("NO-SUCH", 2)]), user=cast.secretary)
    assert [(e.row, e.message) for e in result.errors] == [(2, BRANCH_NOT_FOUND), (3, BRANCH_NOT_FOUND)]


def test_secretary_cannot_import_into_another_branch(tree, cast):
    rows = valid_rows(3, "EA-B1") + [roster_row("EA-B2", 50)]
    before = counts()
    result = roster_import(file=roster_upload(rows), user=cast.secretary)
    assert result.imported == 0
    assert [(e.row, e.column) for e in result.errors] == [(5, "所在党支部编码")]
    assert counts() == before


def test_committee_officer_imports_into_every_branch_of_the_committee(tree, cast):
    rows = valid_rows(2, "EA-B1") + valid_rows(2, "EA-B2", start=10)
    result = roster_import(file=roster_upload(rows), user=cast.committee)
    assert result.imported == 4
    assert Member.objects.filter(organization=tree.branch_b).count() == 2


def test_reviewer_cannot_import_anything(tree, cast):
    result = roster_import(file=roster_upload(valid_rows(2, "EA-B1")), user=cast.sasac)
    assert result.imported == 0 and {e.message for e in result.errors} == {BRANCH_NOT_FOUND}


def test_dissolved_branch_refuses_members(tree, cast):
    Organization.objects.filter(pk=tree.branch_b.pk).update(status=Organization.Status.DISSOLVED)
    result = roster_import(file=roster_upload([roster_row("EA-B2", 1)]), user=cast.committee)
    assert [e.message for e in result.errors] == ["该党支部已撤销,不能导入党员"]


def test_id_number_must_agree_with_birth_date_and_gender(tree, cast):
    row = roster_row("EA-B1", 0)  # a man
    rows = [
        dict(row, birth_date=row["birth_date"] + datetime.timedelta(days=1)),
        dict(roster_row("EA-B1", 2), gender="女"),
    ]
    result = roster_import(file=roster_upload(rows), user=cast.secretary)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "出生日期", "出生日期与身份证号码不一致"),
        (3, "性别", "性别与身份证号码不一致"),
    ]


def test_id_number_stored_as_a_number_is_explained(tree, cast):
    rows = [roster_row("EA-B1", 0, id_number=110101198501010011)]
    result = roster_import(file=roster_upload(rows), user=cast.secretary)
    assert "文本格式" in result.errors[0].message


def test_title_row_above_header_and_blank_rows_are_allowed(tree, cast):
    rows = valid_rows(2, "EA-B1")
    content = build_roster([rows[0], {}, rows[1]], title="甲集团第一党支部 党员花名册")
    result = roster_import(file=upload(content), user=cast.secretary)
    assert result.ok and result.imported == 2


def test_optional_columns_may_be_left_out_of_the_file(tree, cast):
    headers = [h for h in HEADERS if h.endswith("*") or h == "转正日期"]
    result = roster_import(file=roster_upload(valid_rows(2, "EA-B1"), headers=headers), user=cast.secretary)
    assert result.imported == 2
    member = Member.objects.get(id_number=id_for(0)[0])
    assert (member.ethnicity, member.status, member.dues_class, member.dues_base) == ("汉族", "normal", "employed", 0)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("花名册.xls", b"\xd0\xcf\x11\xe0 old excel", "不是 Excel .xlsx 文件"),
        ("花名册.csv", "姓名,身份证号码\n".encode(), "不是 Excel .xlsx 文件"),
        ("花名册.xlsx", b"this is not a zip", "已损坏"),
        ("花名册.xlsx", b"PK\x03\x04 truncated zip", "已损坏"),
    ],
)
def test_wrong_type_or_corrupt_file_is_refused(tree, cast, name, content, reason):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        roster_import(file=upload(content, name), user=cast.secretary)
    assert reason in excinfo.value.messages[0] and name in excinfo.value.messages[0]
    assert counts() == before


def test_oversize_file_is_refused(tree, cast, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 1024
    content = build_roster(valid_rows(50, "EA-B1"))
    assert len(content) > 1024
    with pytest.raises(ValidationError, match="超过"):
        roster_import(file=upload(content), user=cast.secretary)
    assert not Member.objects.exists()


def test_missing_required_columns_are_listed(tree, cast):
    headers = [h for h in HEADERS if h not in ("出生日期*", "党员类别*")]
    with pytest.raises(ValidationError) as excinfo:
        roster_import(file=roster_upload(valid_rows(1, "EA-B1"), headers=headers), user=cast.secretary)
    assert "缺少必填列:出生日期、党员类别" in excinfo.value.messages[0]


def test_file_without_a_header_is_refused(tree, cast):
    with pytest.raises(ValidationError, match="缺少表头"):
        roster_import(file=roster_upload(valid_rows(1, "EA-B1"), headers=["甲", "乙"]), user=cast.secretary)


def test_empty_sheet_and_header_only_sheet_are_refused(tree, cast):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(ValidationError, match="工作表是空的"):
        roster_import(file=upload(buffer.getvalue()), user=cast.secretary)
    with pytest.raises(ValidationError, match="没有党员数据"):
        roster_import(file=roster_upload([]), user=cast.secretary)


def _sqlite_insert_batches(rows: int) -> int:
    """SQLite allows 999 bound parameters a statement, so Django splits bulk inserts into batches of about 40 rows;
    PostgreSQL takes each batch of 1,000 in one statement, so there the bound does not move at all."""
    if connection.vendor != "sqlite":
        return 0
    return 4 * (rows // 40 + 1)


@pytest.mark.parametrize("rows", [10, 200])
def test_import_query_count_does_not_grow_with_rows(tree, cast, rows, django_assert_max_num_queries):
    upload_file = roster_upload(valid_rows(rows, "EA-B1"))
    with django_assert_max_num_queries(12 + _sqlite_insert_batches(rows)):
        result = roster_import(file=upload_file, user=cast.secretary)
    assert result.imported == rows


@pytest.mark.parametrize("rows", [10, 200])
def test_validation_reads_a_fixed_number_of_queries(tree, cast, rows):
    parsed = parse_roster(
        roster_upload(valid_rows(rows, "EA-B1", start=5) + [roster_row("EA-B1", 5, group_code="EA-B1-G1")])
    )
    with CaptureQueriesContext(connection) as queries:
        _members, errors = validate_roster(parsed, user=cast.secretary)
    assert [e.row for e in errors] == [rows + 2]  # the duplicate last row
    # grants, branches, groups, existing ID numbers
    assert len(queries) <= 4


def test_ten_thousand_rows_import_in_one_go(tree, cast):
    rows = valid_rows(10_000, "EA-B1")
    result = roster_import(file=roster_upload(rows), user=cast.committee)
    assert result.ok and result.imported == 10_000
    assert Member.objects.filter(organization=tree.branch_a).count() == 10_000
    assert Membership.objects.filter(note="花名册导入").count() == 10_000
    assert Member.history.filter(history_type="+", history_user=cast.committee).count() == 10_000


def test_a_concurrent_duplicate_rolls_back_the_whole_import(tree, cast, monkeypatch):
    rows = valid_rows(3, "EA-B1")
    roster_import(file=roster_upload(rows[2:]), user=cast.secretary)
    before = counts()
    # Simulate another user saving the same member between our check and our insert.
    monkeypatch.setattr("branches.id_lookup.registered_in_scope", lambda **_kwargs: set())
    with pytest.raises(ValidationError, match="未导入任何党员"):
        roster_import(file=roster_upload(rows), user=cast.secretary)
    assert counts() == before


def test_lowercase_x_and_spaces_in_id_numbers_are_normalized(tree, cast):
    n = next(i for i in range(200) if id_for(i, male=i % 2 == 0)[0].endswith("X"))
    row = roster_row("EA-B1", n)
    row["id_number"] = f"  {row['id_number'].lower()} "
    result = roster_import(file=roster_upload([row]), user=cast.secretary)
    assert result.ok
    assert Member.objects.filter(id_number=row["id_number"].strip().upper()).exists()


def test_future_dates_and_overlong_text_are_rejected(tree, cast):
    rows = [
        roster_row(
            "EA-B1", 1, joined_on=datetime.date.today() + datetime.timedelta(days=40), full_on=None, category="预备党员"
        ),
        roster_row("EA-B1", 2, name="名" * 51),
        roster_row("EA-B1", 3, dues_base="12.345"),
    ]
    result = roster_import(file=roster_upload(rows), user=cast.secretary)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "入党日期", "日期不能晚于今天"),
        (3, "姓名", "不能超过50个字"),
        (4, "党费基数", "党费基数最多保留两位小数"),
    ]


def test_row_numbers_match_excel_with_a_title_row_and_blank_rows(tree, cast):
    content = build_roster([roster_row("EA-B1", 1), {}, {}, roster_row("EA-B1", 2, name="")], title="花名册")
    result = roster_import(file=upload(content), user=cast.secretary)
    # row 1 title, row 2 header, row 3 good, rows 4-5 blank, row 6 bad
    assert [(e.row, e.column) for e in result.errors] == [(6, "姓名")]
