"""Import of people already on the path (issue 16 point 7): an Excel template with drop-downs, one row a person with
the dates of the steps they have passed (up to 14 填写入党志愿书: from the 支部大会 on, a person is a Member and
belongs on the roster import). All or nothing: every row goes through the same service as a page (so every gate is
checked on the imported dates), inside one transaction that is rolled back when any row is bad; every bad row is named
in Chinese with its violations."""

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from branches.models import Member, Organization

from . import rules, services

PERSON_COLUMNS = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("id_number", "身份证号码"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("phone", "联系电话"),
    ("position", "工作岗位"),
]
IMPORT_STEPS = tuple(range(1, 15))
EXTRA_COLUMNS = [
    ("reviews", "6.培养考察日期(多次用;分隔)"),
    ("contacts", "培养联系人(姓名,多人用;分隔)"),
    ("introducers", "入党介绍人(两人姓名,用;分隔)"),
    ("training_days", "培训天数"),
    ("training_hours", "培训学时"),
    ("publicity_start", "公示开始日期"),
    ("publicity_end", "公示结束日期"),
]
STEP_COLUMNS = [(n, f"{n}.{rules.STEP_RULES[n].name}日期") for n in IMPORT_STEPS if n != 6]
HEADER = (
    [label for _k, label in PERSON_COLUMNS]
    + [label for _n, label in STEP_COLUMNS]
    + [label for _k, label in EXTRA_COLUMNS]
)
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    lists = wb.create_sheet("选项")
    for row, (_v, label) in enumerate(Member.Gender.choices, start=1):
        lists.cell(row=row, column=1, value=str(label))
    for row, (_v, label) in enumerate(Member.Education.choices, start=1):
        lists.cell(row=row, column=2, value=str(label))
    for column, source in (("B", "=选项!$A$1:$A$2"), ("F", f"=选项!$B$1:$B${len(Member.Education.choices)}")):
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
        dv.error = "请从下拉列表中选择"
        ws.add_data_validation(dv)
        dv.add(f"{column}2:{column}{MAX_ROWS + 1}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value, label: str, problems: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        problems.append(f"{label}“{value}”不是有效日期(应为 2024-03-01 格式)")
        return None


def _choice(choices, value, label: str, problems: list[str]) -> str:
    by_label = {str(lbl): v for v, lbl in choices}
    text = _text(value)
    if text in by_label:
        return by_label[text]
    problems.append(f"{label}“{text}”不在可选范围内")
    return ""


def _members(branch: Organization, names: str, label: str, problems: list[str]) -> list[Member]:
    found = []
    for name in [n.strip() for n in names.replace(";", ";").split(";") if n.strip()]:
        matches = list(Member.objects.filter(organization=branch, name=name)[:2])
        if len(matches) != 1:
            problems.append(f"{label}“{name}”在本支部{'没有找到' if not matches else '有重名'}")
        else:
            found.append(matches[0])
    return found


def _parse(ws) -> list[tuple[int, dict]]:
    rows = []
    header = [_text(c) for c in next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    if header[: len(HEADER)] != HEADER:
        raise ValidationError("表头与导入模板不一致,请下载最新模板填写。")
    for index, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if all(v in (None, "") for v in values):
            continue
        rows.append((index, dict(zip(HEADER, values, strict=False))))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"一次最多导入{MAX_ROWS}行。")
    return rows


def _import_row(branch, raw: dict, user, today) -> list[str]:
    problems: list[str] = []
    person = {key: _text(raw.get(label)) for key, label in PERSON_COLUMNS}
    person["gender"] = _choice(Member.Gender.choices, raw.get("性别"), "性别", problems)
    person["education"] = _choice(Member.Education.choices, raw.get("学历"), "学历", problems)
    person["birth_date"] = _date(raw.get("出生日期"), "出生日期", problems)
    person["ethnicity"] = person["ethnicity"] or "汉族"
    dates = {n: _date(raw.get(label), label, problems) for n, label in STEP_COLUMNS}
    reviews = [
        _date(v, "培养考察日期", problems)
        for v in _text(raw.get(EXTRA_COLUMNS[0][1])).replace(";", ";").split(";")
        if v.strip()
    ]
    contacts = _members(branch, _text(raw.get(EXTRA_COLUMNS[1][1])), "培养联系人", problems)
    introducers = _members(branch, _text(raw.get(EXTRA_COLUMNS[2][1])), "入党介绍人", problems)
    publicity = {key: _date(raw.get(label), label, problems) for key, label in EXTRA_COLUMNS[5:]}
    training = {}
    for key, label in EXTRA_COLUMNS[3:5]:
        value = _text(raw.get(label))
        if value and not value.isdigit():
            problems.append(f"{label}“{value}”应为整数")
        training[key] = int(value) if value.isdigit() else None
    if not dates.get(1):
        problems.append("缺少“1.递交入党申请书日期”")
    if problems:
        return problems
    steps = [(n, dates[n]) for n in IMPORT_STEPS if n != 6 and dates.get(n)] + [(6, d) for d in reviews if d]
    steps.sort(key=lambda s: (s[1], s[0] if s[0] != 6 else 6.5))
    try:
        created = services.person_create(branch=branch, applied_on=dates[1], user=user, **person)
        for number, day in steps:
            if number == 1:
                continue
            data = {}
            if number == 5:
                data = {
                    "member_1": contacts[0] if contacts else None,
                    "member_2": contacts[1] if len(contacts) > 1 else None,
                }
            if number == 9:
                data = {
                    "member_1": introducers[0] if introducers else None,
                    "member_2": introducers[1] if len(introducers) > 1 else None,
                }
            if number == 11:
                data = dict(training)
            if number == rules.publicity_step():
                data = dict(publicity)
            services.step_record(person=created, number=number, date=day, user=user, today=today, imported=True, **data)
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        problems += messages
    return problems


def people_import(*, branch: Organization, file, user=None, today: datetime.date) -> ImportResult:
    """All rows or none: the rows are written through the services in one transaction, rolled back on any error."""
    if getattr(file, "size", 0) > MAX_BYTES:
        raise ValidationError("文件过大:最大 5 MB。")
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise ValidationError("无法读取该文件,请上传由导入模板填写的 .xlsx 文件。") from exc
    rows = _parse(wb.worksheets[0])
    if not rows:
        raise ValidationError("文件中没有数据行。")
    result = ImportResult()
    with transaction.atomic():
        for index, raw in rows:
            with transaction.atomic():
                problems = _import_row(branch, raw, user, today)
            name = _text(raw.get("姓名")) or "(未填姓名)"
            if problems:
                result.errors.append(f"第{index}行 {name}:" + ";".join(problems))
            else:
                result.created += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result
