"""The 花名册 columns and the result types shared by the template, the parser, the validation and the import."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import TextChoices

from ..models import Member

DATA_SHEET = "党员花名册"
HELP_SHEET = "填写说明"
CODES_SHEET = "组织编码"
MEMBERSHIP_NOTE = "花名册导入"
BATCH_SIZE = 1000
# A file over this many data rows is refused before validation; configurable, since an officer may load a whole enterprise.
MAX_ROWS = getattr(settings, "ROSTER_MAX_ROWS", 50_000)
# Drop-downs and formats in the template cover this many rows.
TEMPLATE_ROWS = 20_000
# Rows shown in the error table; all errors are still counted.
MAX_ERRORS_SHOWN = 500
HEADER_SCAN_ROWS = 5
# A roster only registers members who count for the branch; leaving is recorded through member_leave.
IMPORTABLE_STATUSES = tuple(Member.COUNTED_STATUSES)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    kind: str = "text"  # text / date / choice / decimal / id
    choices: type[TextChoices] | None = None
    max_length: int | None = None
    width: int = 12
    note: str = ""
    example: str = ""

    @property
    def title(self) -> str:
        """The header cell text: required columns carry an asterisk."""
        return f"{self.header}*" if self.required else self.header

    def allowed(self) -> list[tuple[str, str]]:
        """(code, label) pairs this column accepts."""
        items = [(c.value, str(c.label)) for c in self.choices]
        if self.key == "status":
            items = [(code, label) for code, label in items if code in IMPORTABLE_STATUSES]
        return items


def _field_length(name: str) -> int:
    return Member._meta.get_field(name).max_length


COLUMNS: tuple[Column, ...] = (
    Column("branch_code", "所在党支部编码", True, width=16, note="见“组织编码”工作表", example="EA-B1"),
    Column("group_code", "党小组编码", width=14, note="可空;须是所填党支部下的党小组", example="EA-B1-G1"),
    Column("name", "姓名", True, max_length=_field_length("name"), width=10, example="张三"),
    Column("gender", "性别", True, "choice", Member.Gender, width=8, note="须与身份证号码一致", example="男"),
    Column("ethnicity", "民族", max_length=_field_length("ethnicity"), width=8, note="可空,默认汉族", example="汉族"),
    Column("birth_date", "出生日期", True, "date", width=12, note="须与身份证号码一致", example="1985-03-12"),
    Column("education", "学历", True, "choice", Member.Education, width=12, example="大学本科"),
    Column("id_number", "身份证号码", True, "id", width=22, note="18位,请设为文本格式", example="110101198503120011"),
    Column("phone", "联系电话", max_length=_field_length("phone"), width=14, example="13800000000"),
    Column("joined_on", "入党日期", True, "date", width=12, example="2010-07-01"),
    Column("full_on", "转正日期", kind="date", width=12, note="正式党员必填;预备党员不填", example="2011-07-01"),
    Column("category", "党员类别", True, "choice", Member.Category, width=10, example="正式党员"),
    Column("position", "职务/岗位", max_length=_field_length("position"), width=16, example="工程师"),
    Column("status", "党籍状态", kind="choice", choices=Member.Status, width=10, note="可空,默认正常", example="正常"),
    Column(
        "dues_class",
        "党费计算类别",
        kind="choice",
        choices=Member.DuesClass,
        width=14,
        note="可空,默认在职",
        example="在职",
    ),
    Column("dues_base", "党费基数", kind="decimal", width=12, note="元/月,不小于0,最多两位小数,可空", example="6000"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DATE_FORMAT_HINT = "日期格式应为YYYY-MM-DD(如2010-07-01)"
BRANCH_NOT_FOUND = "未找到该党支部或无权导入"


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # the Excel row number, as the user sees it
    column: str
    message: str


@dataclass
class RosterResult:
    file_name: str
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # imported, but a data gap to fill (基数未填)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class ParsedRoster:
    file_name: str
    rows: list[tuple[int, dict]]  # (Excel row number, {column key: raw cell value})
