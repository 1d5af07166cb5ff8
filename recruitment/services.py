"""Every change on the path goes through these functions: views, forms, the admin, the API, the import, the demo
and the tasks call them. Each is atomic, checks its own rules and raises ValidationError with a Chinese message that
cites its article (《发展党员工作细则》). The date rules are rules.py's; the rules that need records (introducers
in good standing, the held 支部大会 and its vote, who may record a committee's step) are here.
Nothing is deleted: a person who leaves the path keeps every step, with the reason they left.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from branches import services as branch_services
from branches import standing
from branches.models import Member, Organization
from meetings.attendance import quorum, term_in_force
from meetings.models import Meeting
from meetings.uploads import checked_file

from . import rules
from .models import DevelopmentPlan, Person, PersonTransfer, Step, StepDocument, ThoughtReport
from .selectors import may_record_committee_step, path_of

PERSON_FIELDS = ("name", "gender", "birth_date", "id_number", "ethnicity", "education", "phone", "position")
STEP_FIELDS = (
    "done_by",
    "notes",
    "document_number",
    "late_reason",
    "member_1",
    "member_2",
    "training_days",
    "training_hours",
    "meeting",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "publicity_start",
    "publicity_end",
    "outcome",
    "extension_months",
)
GOOD_STANDING = (Member.Status.NORMAL, Member.Status.MOBILE)


def _check_branch(branch: Organization) -> None:
    if branch.kind != Organization.Kind.BRANCH:
        raise ValidationError({"branch": "发展党员工作由党支部进行,请选择党支部。"})
    if branch.status != Organization.Status.ACTIVE:
        raise ValidationError({"branch": "该党支部已撤销。"})


@transaction.atomic
def person_create(*, branch: Organization, applied_on: datetime.date, user=None, **fields) -> Person:
    """An 入党申请人 hands in the application (step 1), which opens their record in the branch."""
    unknown = set(fields) - set(PERSON_FIELDS) - {"done_by", "notes"}
    if unknown:
        raise ValidationError(f"不能填写这些字段:{', '.join(sorted(unknown))}")
    _check_branch(branch)
    step_data = {k: fields.pop(k) for k in ("done_by", "notes") if k in fields}
    fields["id_number"] = (fields.get("id_number") or "").strip().upper()
    if Person.objects.active().filter(id_number=fields["id_number"]).exists():
        raise ValidationError({"id_number": "该身份证号码的人员已在发展党员流程中。"})
    if Member.objects.filter(id_number=fields["id_number"]).exists():
        raise ValidationError({"id_number": "该身份证号码已是党员,不能再次申请入党。"})
    person = Person(branch=branch, **fields)
    person._history_user = user
    person.full_clean()
    person.save()
    step_record(person=person, number=1, date=applied_on, user=user, **step_data)
    return person


@transaction.atomic
def person_update(*, person: Person, user=None, **fields) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段:{', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person._history_user = user
    person.full_clean()
    person.save()
    return person


def _lock(person: Person) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status != Person.Status.ACTIVE:
        raise ValidationError(f"{person.name}已退出发展党员流程({locked.left_reason}),不能再记录。")
    return locked


def _check_party_members(number: int, members: list, day: datetime.date, *, exactly: int | None) -> None:
    """5 培养联系人 (1 or 2) / 9 入党介绍人 (exactly 2): 正式党员 in good standing on the day (DOMAIN.md "Standing
    of members": not 预备, not 停止党籍, not under 留党察看, not left)."""
    role = "入党介绍人" if number == 9 else "培养联系人"
    chosen = [m for m in members if m is not None]
    if exactly and (len(chosen) != exactly or len({m.pk for m in chosen}) != exactly):
        raise ValidationError({"member_1": rules.cite(number, f"发展对象应当有两名正式党员作{role}。")})
    if not chosen or len({m.pk for m in chosen}) != len(chosen):
        raise ValidationError({"member_1": rules.cite(number, f"应当指定一至两名正式党员作{role}。")})
    for m in chosen:
        # 正式党员 with full rights on the day (branches/standing.py: not 停止党籍, not under 留党察看), still a member.
        if m.category != Member.Category.FULL or not standing.has_vote(m, day) or m.status not in GOOD_STANDING:
            raise ValidationError({"member_1": rules.cite(number, f"{m.name}不是党籍正常的正式党员,不能担任{role}。")})


def _check_assembly(person: Person, number: int, day: datetime.date, data: dict) -> dict:
    """15 / 23: a held 支部大会 of the person's branch on that day; its attendance decides the quorum, and those in
    favour must exceed half of the voting members who should attend (支部工作条例 第十一条; 细则 第二十四条)."""
    meeting: Meeting | None = data.get("meeting")
    if meeting is None:
        raise ValidationError({"meeting": rules.cite(number, "请选择已召开的支部党员大会记录。")})
    if (
        meeting.kind != Meeting.Kind.BRANCH_ASSEMBLY
        or meeting.organization_id != person.branch_id
        or meeting.status == Meeting.Status.PLANNED
    ):
        raise ValidationError({"meeting": rules.cite(number, "须为本支部已召开的支部党员大会记录。")})
    if meeting.date != day:
        raise ValidationError({"date": f"步骤日期应与支部党员大会日期({meeting.date})一致。"})
    q = quorum(meeting)
    if not q.ok:
        raise ValidationError({"meeting": rules.cite(number, f"{q.message}(应到 {q.expected} 人,实到 {q.present} 人)")})
    votes = [data.get(k) for k in ("votes_for", "votes_against", "votes_abstain")]
    if votes[0] is None:
        raise ValidationError({"votes_for": "请填写表决结果(赞成、反对、弃权人数)。"})
    if sum(v or 0 for v in votes) > q.expected:
        raise ValidationError({"votes_for": f"表决人数之和超过应到会有表决权的党员人数({q.expected})。"})
    rejected = number == 15 and data.get("outcome") == rules.Outcome.REJECTED
    if rejected and rules.vote_passes(votes[0], q.expected):
        raise ValidationError(
            {"outcome": f"赞成人数({votes[0]})已超过应到会有表决权党员({q.expected})的半数,决议通过。"}
        )
    if not rejected and not rules.vote_passes(votes[0], q.expected):
        raise ValidationError(
            {
                "votes_for": rules.cite(
                    number,
                    f"赞成人数({votes[0]})须超过应到会有表决权党员({q.expected})的半数,决议未通过"
                    "(如需记录未通过的讨论,讨论结果请选“支部大会表决未通过”)。",
                )
            }
        )
    return {"voting_expected": q.expected, "voting_present": q.present}


# 3 积极分子 (细则 第八条), 7 发展对象 (第十三条), 12 审查 (第十九条): decided by the 支委会, or the 支部大会 where the
# branch has no committee. The meeting is optional (paper records are often filed without one); when given, it is checked.
DECIDED_AT_MEETING = (3, 7, 12)


def _check_deciding_meeting(person: Person, number: int, day: datetime.date, meeting: Meeting) -> None:
    term = term_in_force(person.branch, day)
    has_committee = term is not None and term.has_committee  # as meetings: no term in force, no 支委会
    kind = Meeting.Kind.BRANCH_COMMITTEE if has_committee else Meeting.Kind.BRANCH_ASSEMBLY
    body = "支部委员会会议" if has_committee else "支部党员大会(本支部未设委员会)"
    if meeting.kind != kind or meeting.organization_id != person.branch_id or meeting.status == Meeting.Status.PLANNED:
        raise ValidationError({"meeting": rules.cite(number, f"应由本支部已召开的{body}决定。")})
    if meeting.date != day:
        raise ValidationError({"date": f"步骤日期应与会议日期({meeting.date})一致。"})


def _gate(person: Person, number: int, day: datetime.date, data: dict, *, today) -> dict:
    path = path_of(person)
    extra = {}
    errors = rules.gate_errors(path, number, day, birth_date=person.birth_date, today=today, **data)
    if errors:
        raise ValidationError(errors)
    if number == 5:
        _check_party_members(5, [data.get("member_1"), data.get("member_2")], day, exactly=None)
    if number == 9:
        _check_party_members(9, [data.get("member_1"), data.get("member_2")], day, exactly=2)
    if number in (15, 23):
        extra = _check_assembly(person, number, day, data)
    if number in DECIDED_AT_MEETING and data.get("meeting") is not None:
        _check_deciding_meeting(person, number, day, data["meeting"])
    return extra


@transaction.atomic
def step_record(
    *,
    person: Person,
    number: int,
    date: datetime.date,
    user=None,
    today: datetime.date | None = None,
    imported: bool = False,
    **data,
) -> Step:
    """Record step `number` of `person` on `date`, after every gate. Step 17 makes the person a 预备党员 (a Member,
    `joined_on` = the 支部大会's date); step 23 extends, cancels or leads to 24, which makes them 正式党员."""
    unknown = set(data) - set(STEP_FIELDS)
    if unknown:
        raise ValidationError(f"不能填写这些字段:{', '.join(sorted(unknown))}")
    if number not in rules.STEP_RULES:
        raise ValidationError({"number": "步骤应为1至25。"})
    person = _lock(person)
    # An import records history the committee already decided on paper; live, only its staff record its steps.
    committee_step = rules.STEP_RULES[number].committee and not imported
    if user is not None and committee_step and not may_record_committee_step(user, person.branch):
        raise PermissionDenied(f"第{number}步“{rules.step_name(number)}”由上级党委记录。")
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if number not in (15, 23):
        for k in ("votes_for", "votes_against", "votes_abstain"):
            data.pop(k, None)
        if number not in DECIDED_AT_MEETING:
            data.pop("meeting", None)
    if number not in (15, 23):
        data.pop("outcome", None)
        data.pop("extension_months", None)
    if number == 15 and data.get("outcome") not in (None, "", rules.Outcome.REJECTED):
        raise ValidationError({"outcome": "支部大会讨论接收预备党员的结果只能是通过(不选)或未通过。"})
    if number in rules.WRITTEN_RECORDS and not imported and rules.setting("RECRUITMENT_WRITTEN_RECORDS"):
        if not data.get("notes"):
            raise ValidationError({"notes": rules.cite(number, f"{rules.WRITTEN_RECORDS[number]}。")})
    extra = _gate(person, number, date, data, today=today or timezone.localdate())
    if number == 24:
        # 党章 第七条: step 24 approves step 23's decision, and is named by it (转正, 延长预备期, 取消预备党员资格).
        data = data | {"outcome": path_of(person).decision.outcome, "extension_months": None}
    step = Step(person=person, number=number, date=date, organization=person.branch, recorded_by=user, **data, **extra)
    step._history_user = user
    step.full_clean(exclude=["person", "organization", "meeting", "member_1", "member_2", "recorded_by"])
    step.save()
    _after(person, step, user)
    return step


@transaction.atomic
def step_record_with_document(
    *, person: Person, number: int, date: datetime.date, file=None, user=None, **data
) -> Step:
    """Record a step and its scanned paper in one go (the one-screen form): both or neither."""
    step = step_record(person=person, number=number, date=date, user=user, **data)
    if file is not None:
        document_add(step=step, file=file, title="", user=user)
    return step


def _after(person: Person, step: Step, user) -> None:
    path = path_of(person)
    person.stage = path.stage()
    if step.number == 17:
        person.member = branch_services.member_create(
            organization=person.branch,
            user=user,
            name=person.name,
            gender=person.gender,
            ethnicity=person.ethnicity,
            birth_date=person.birth_date,
            education=person.education,
            id_number=person.id_number,
            phone=person.phone,
            position=person.position,
            joined_on=path.date(15),
            category=Member.Category.PROBATIONARY,
        )
    if step.number == 24 and step.outcome == rules.Outcome.EXTEND:
        pass  # 党章 第七条: the extension is in force from this approval; the 预备期 ends later (rules.Path).
    elif step.number == 24 and step.outcome == rules.Outcome.CANCEL:
        # 党章 第七条: the 支部大会's cancellation (23) is in force once the superior approves it (24).
        person.status, person.left_on, person.left_reason = Person.Status.LEFT, step.date, "取消预备党员资格"
        if person.member_id:
            # 党章 第七条: 取消预备党员资格 is not 出党 (nor 退党): the member's own status, its roll and dues end that day.
            branch_services.member_leave(
                member=person.member, status=Member.Status.CANCELLED, on=step.date, user=user, note="取消预备党员资格"
            )
    elif step.number == 24:
        # 党章 第七条: 党龄 counts from the day the 预备期 ended.
        branch_services.member_update(
            member=person.member, user=user, category=Member.Category.FULL, full_on=path.probation_ends()
        )
    person._history_user = user
    person.save(update_fields=["stage", "status", "left_on", "left_reason", "member"])


@transaction.atomic
def person_transfer(
    *, person: Person, to_branch: Organization, on: datetime.date, user=None, note: str = ""
) -> PersonTransfer:
    """The person moves to another branch with their whole history; a 预备党员's 组织关系 moves with them."""
    person = _lock(person)
    _check_branch(to_branch)
    if to_branch.pk == person.branch_id:
        raise ValidationError({"to_branch": "转入支部与当前支部相同。"})
    transfer = PersonTransfer.objects.create(
        person=person, from_branch=person.branch, to_branch=to_branch, on=on, note=note.strip(), recorded_by=user
    )
    if person.member_id and person.member.status in Member.COUNTED_STATUSES:
        branch_services.member_transfer(member=person.member, to_organization=to_branch, on=on, user=user, note=note)
    person.branch = to_branch
    person._history_user = user
    person.save(update_fields=["branch"])
    return transfer


@transaction.atomic
def person_leave(*, person: Person, on: datetime.date, reason: str, user=None) -> Person:
    """Leave the path (本人放弃, 不再具备条件...): the record stays, with the reason."""
    person = _lock(person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退出原因。"})
    if person.member_id:
        raise ValidationError("已接收为预备党员,请通过“支部大会讨论转正”取消预备党员资格。")
    person.status, person.left_on, person.left_reason = Person.Status.LEFT, on, reason[:200]
    person._history_user = user
    person.full_clean(exclude=["branch", "member"])
    person.save(update_fields=["status", "left_on", "left_reason"])
    return person


@transaction.atomic
def thought_report_record(
    *,
    person: Person,
    quarter: datetime.date,
    submitted_on: datetime.date,
    notes: str = "",
    user=None,
    today: datetime.date | None = None,
) -> ThoughtReport:
    """思想汇报 (local practice: each quarter from 积极分子 to 转正): `quarter` is any day of the quarter it is for; a
    late report names the quarter it was owed for, so the overdue one is cleared."""
    person = _lock(person)
    quarter = rules.quarter_start_of(quarter)
    errors = rules.report_errors(path_of(person), quarter, submitted_on, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    report = ThoughtReport(
        person=person,
        quarter=quarter,
        submitted_on=submitted_on,
        notes=(notes or "").strip(),
        organization=person.branch,
        recorded_by=user,
    )
    report._history_user = user
    report.full_clean(exclude=["person", "organization", "recorded_by"])
    report.save()
    return report


@transaction.atomic
def document_add(*, step: Step, file, title: str, user=None) -> StepDocument:
    """A scan of the step's paper (申请书, 考察表, 志愿书...): the same types, sizes and content check as meeting
    attachments (meetings/uploads.py)."""
    original, ext = checked_file(file)
    title = (title or "").strip() or step.name
    document = StepDocument(step=step, title=title[:100], original_name=original[-150:], size=file.size)
    document.uploaded_by = user
    document._history_user = user
    document.file.save(f"upload{ext}", file, save=False)
    document.save()
    return document


@transaction.atomic
def plan_set(*, organization: Organization, year: int, planned: int, user=None) -> DevelopmentPlan:
    """发展计划: set by the committee for an organization under it (one number a year)."""
    if organization.kind == Organization.Kind.GROUP:
        raise ValidationError({"organization": "党小组不设发展计划。"})
    if planned < 0:
        raise ValidationError({"planned": "计划人数不能为负数。"})
    plan, _created = DevelopmentPlan.objects.update_or_create(
        organization=organization, year=year, defaults={"planned": planned, "set_by": user}
    )
    return plan
