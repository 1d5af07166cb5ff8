"""Documents people print: the per-person 发展党员纪实表 and the 公示 notice as Word files offices edit (docxtpl, the
templates in docx_templates/), and the branch's pipeline register as Excel. ID numbers are masked, as on every page.
Reads only: each builder takes what a selector loaded."""

import datetime
import io
from pathlib import Path

from docxtpl import DocxTemplate

from branches.people import display_name
from common import xlsx

from . import rules
from .models import Person
from .selectors import path_of

TEMPLATES = Path(__file__).resolve().parent / "docx_templates"


def _d(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


def _render(template: str, context: dict) -> bytes:
    doc = DocxTemplate(TEMPLATES / template)
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _who(user) -> str:
    return display_name(user) if user else "系统导入"


def _person_context(person: Person, today: datetime.date) -> dict:
    return {
        "name": person.name,
        "gender": person.get_gender_display(),
        "birth_date": _d(person.birth_date),
        "ethnicity": person.ethnicity,
        "education": person.get_education_display(),
        "position": person.position,
        "id_number": person.masked_id_number,
        "branch": person.branch.name,
        "stage": person.get_stage_display(),
        "left": person.left_reason if person.status == Person.Status.LEFT else "",
        "printed_on": _d(today),
    }


def record_docx(person: Person, steps, reports=(), *, today: datetime.date) -> bytes:
    """发展党员纪实表: every step with its date, who did it and who recorded it, and the 思想汇报 handed in."""
    rows = [
        {
            "number": s.number,
            "name": s.name,
            "date": s.date.isoformat(),
            "done_by": s.done_by,
            "recorded_by": _who(s.recorded_by),
            # Step 24 is named by the decision it approves: its outcome is in the name already.
            "notes": ";".join(filter(None, [s.get_outcome_display() if s.outcome and s.number != 24 else "", s.notes])),
        }
        for s in steps
    ]
    report_rows = [
        {
            "quarter": r.quarter_name,
            "submitted_on": r.submitted_on.isoformat(),
            "notes": r.notes,
            "recorded_by": _who(r.recorded_by),
        }
        for r in reports
    ]
    return _render("record.docx", _person_context(person, today) | {"steps": rows, "reports": report_rows})


def publicity_docx(person: Person, steps, *, today: datetime.date, start=None, end=None) -> bytes:
    """公示 of a 发展对象 before the 支部大会 (local practice: 5 working days)."""
    path = path_of(person)
    introducers = next((s for s in steps if s.number == 9), None)
    names = "、".join(m.name for m in (introducers.member_1, introducers.member_2) if m) if introducers else "____"
    return _render(
        "publicity.docx",
        _person_context(person, today)
        | {
            "applied_on": _d(path.date(1)),
            "activist_on": _d(path.date(3)),
            "candidate_on": _d(path.date(7)),
            "introducers": names,
            "publicity_start": _d(start),
            "publicity_end": _d(end),
        },
    )


# 备案 (steps 4, 8, 18): what the branch reports, decided at which step.
FILINGS = {
    4: ("确定入党积极分子", 3, "第八条", "支部委员会", "确定{name}同志为入党积极分子"),
    8: ("确定发展对象", 7, "第十三条", "支部委员会", "确定{name}同志为发展对象"),
    18: ("接收预备党员", 15, "第二十八条", "支部党员大会", "接收{name}同志为中共预备党员,已经上级党委审批"),
}


def filing_docx(person: Person, steps, *, number: int, today: datetime.date) -> bytes:
    """备案报告 to the superior committee (steps 4 and 8) or its 组织部门 (18), for the committee to file."""
    subject, decided_step, article, decided_by, decision = FILINGS[number]
    path = path_of(person)
    context = _person_context(person, today)
    details = ""
    if number == 18 and path.has(15):
        assembly = next(s for s in steps if s.number == 15 and s.date == path.date(15) and s.outcome != "rejected")
        details = (
            f"支部大会应到会有表决权党员{assembly.voting_expected}人,实到{assembly.voting_present}人,"
            f"赞成{assembly.votes_for}人。预备期自{_d(path.date(15))}起计算。"
        )
    return _render(
        "filing.docx",
        context
        | {
            "subject": f"{subject}{person.name}同志",
            "committee": "上级党委" if number != 18 else "上级党委组织部门",
            "article": article,
            "decided_by": f"{person.branch.name}{decided_by}",
            "decided_on": _d(path.date(decided_step)),
            "decision": decision.format(name=person.name),
            "people": [context | {"applied_on": _d(path.date(1))}],
            "details": details,
        },
    )


REGISTER_HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号码",
    "学历",
    "党支部",
    "阶段",
    "状态",
    "下一步",
    "截止日期",
    "超期",
    "上级党委审批事项",
]


def register_xlsx(persons, *, today: datetime.date) -> bytes:
    """The pipeline register: one row a person, the date of each of the 25 steps (the first record of a repeatable
    one; the latest 政治审查, which is the one that counts), the next step and whether it is overdue, and the
    superior's approvals of step 23's decisions by name."""
    header = REGISTER_HEADER + [f"{n}.{r.name}" for n, r in rules.STEP_RULES.items()]
    rows = []
    for person in persons:
        path = path_of(person)
        nxt = rules.next_steps(path, today)
        first = nxt[0] if nxt and person.status == Person.Status.ACTIVE else None
        overdue = first is not None and first.due_on is not None and first.due_on < today
        row = [
            person.name,
            person.get_gender_display(),
            person.birth_date,
            person.masked_id_number,
            person.get_education_display(),
            person.branch.name,
            person.get_stage_display(),
            person.get_status_display(),
            f"{first.number}.{first.name}" if first else "",
            first.due_on if first else None,
            "是" if overdue else "",
            # Step 24 by the decision it approves (转正, 延长预备期, 取消预备党员资格), each with its date.
            ";".join(f"{a.date} {rules.step_name(24, a.outcome)}" for a in path.by_number.get(24, [])),
        ]
        row += [path.last(n).date if n == 10 and path.has(10) else path.date(n) for n in rules.STEP_RULES]
        rows.append(row)
    # The one workbook writer: title, print setup, neutralised formulas (common/xlsx.py).
    wb = xlsx.table_workbook(title=f"发展党员登记册({today.year}年)", sheet="发展党员花名册", headers=header, rows=rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
