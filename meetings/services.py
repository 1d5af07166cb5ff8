"""Every change to a meeting goes through these functions: views, forms, the admin and the API call them.

Lifecycle planned → held → archived. An archived record is never edited, its attendance never changed, its
attachments never added or removed, and it is never deleted: a correction is a MeetingAmendment (DOMAIN.md).
Errors are ValidationErrors with Chinese messages; code "archived" marks the locked-archive refusals (the API
answers those with 409).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches.models import Organization

# The roll and the quorum are rules of their own (meetings/attendance.py); Quorum and quorum stay importable from here.
from . import uploads
from .attendance import Quorum, _secretary_of, quorum, roll_members, term_in_force  # noqa: F401
from .completeness import archive_gaps
from .models import Attendance, Meeting, MeetingAmendment, MeetingAttachment

# The fields and how they are written (meetings/record_fields.py); the field lists stay importable from here.
from .record_fields import (  # noqa: F401
    AMENDABLE_FIELDS,
    EDITABLE_FIELDS,
    MEMBER_FIELDS,
    PLAN_FIELDS,
    RECORD_FIELDS,
    current_agenda,
    field_text,
    other_titles,
    save_checked,
    set_agenda,
    set_fields,
)

K = Meeting.Kind
OK = Organization.Kind

# Which organizations hold which meetings: 三会一课, 主题党日 and 组织生活会 are a branch's; 民主生活会 is for the
# leadership team of a committee (DOMAIN.md table).
KIND_ORGANIZATION_KINDS = {
    K.BRANCH_ASSEMBLY: (OK.BRANCH,),
    K.BRANCH_COMMITTEE: (OK.BRANCH,),
    K.GROUP_MEETING: (OK.BRANCH,),
    K.PARTY_LECTURE: (OK.BRANCH, OK.GENERAL_BRANCH, OK.COMMITTEE),
    K.THEME_DAY: (OK.BRANCH,),
    K.ORG_LIFE: (OK.BRANCH,),
    K.DEMOCRATIC_LIFE: (OK.COMMITTEE,),
}


def _refuse_archived(meeting: Meeting, action: str) -> None:
    if meeting.status == Meeting.Status.ARCHIVED:
        raise ValidationError(f"会议记录已归档,不能{action};如需更正,请添加更正说明。", code="archived")


def _lock(meeting: Meeting) -> Meeting:
    """Re-read the status under a row lock: two tabs must not both archive, or edit what the other just archived.
    Only the status is read: the caller's instance (with its related rows) stays the one that is saved."""
    meeting.status = Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("status", flat=True).get()
    return meeting


def _check_resolutions(meeting: Meeting) -> None:
    if not meeting.resolutions.strip():
        return
    for name in ("expected_count", "present_count", "voting_expected_count", "voting_present_count"):
        meeting.__dict__.pop(name, None)
    q = quorum(meeting)
    if q is not None and not q.ok:
        raise ValidationError({"resolutions": f"{q.message}(应到 {q.expected} 人,实到 {q.present} 人)"})


# ---- services -------------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *,
    organization: Organization,
    kind: str,
    date: datetime.date,
    topic: str,
    group: Organization | None = None,
    user=None,
    agenda: list[str] | None = None,
    **fields,
) -> Meeting:
    """会前有计划: a planned meeting with its roll filled from the members as of its date."""
    if kind not in K.values:
        raise ValidationError({"kind": "会议类型无效。"})
    kind = K(kind)
    if organization.kind not in KIND_ORGANIZATION_KINDS[kind]:
        raise ValidationError({"kind": f"{organization.get_kind_display()}不召开{kind.label}。"})
    if organization.status != Organization.Status.ACTIVE:
        raise ValidationError("该组织已撤销,不能安排会议。")
    if date < organization.established_on:
        raise ValidationError({"date": f"会议日期早于组织成立日期({organization.established_on})。"})
    if kind == K.GROUP_MEETING:
        if group is None:
            raise ValidationError({"group": "党小组会须选择党小组。"})
        if group.kind != OK.GROUP or not group.path.startswith(organization.path) or group.pk == organization.pk:
            raise ValidationError({"group": "所选党小组不属于本支部。"})
        if group.status != Organization.Status.ACTIVE:
            raise ValidationError({"group": "该党小组已撤销。"})
    elif group is not None:
        raise ValidationError({"group": "只有党小组会需要选择党小组。"})
    committee_kind = kind in (K.BRANCH_COMMITTEE, K.DEMOCRATIC_LIFE)
    default_host = "host" not in fields and kind != K.GROUP_MEETING
    # The term is read once (two queries) and serves the committee check, the roll and the default host.
    term = term_in_force(organization, date) if committee_kind or default_host else None
    if committee_kind:
        # 支部工作条例 第九条: a branch with fewer than 7 正式党员 has no committee, so no 支委会.
        if term is None or not term.has_committee:
            raise ValidationError({"kind": f"本组织未设立委员会,不召开{kind.label}。"})
    members = roll_members(organization=organization, kind=kind, day=date, group=group, term=term)
    if not members:
        raise ValidationError({"date": "会议日期时该组织没有应参会的党员,无法生成参会名单。"})
    meeting = Meeting(organization=organization, group=group, kind=kind, date=date, topic=topic, created_by=user)
    if default_host:
        # Defaults from the plan: the 书记 usually hosts (one thing less to pick when logging on a phone).
        secretary = _secretary_of(term)
        if secretary is not None and any(m.pk == secretary.pk for m in members):
            fields = {"host": secretary, "host_role": "书记", **fields}
    set_fields(meeting, fields)
    save_checked(meeting, user, changed=fields)
    set_agenda(meeting, agenda, current=[])  # a new meeting has none
    bulk_create_with_history([Attendance(meeting=meeting, member=m) for m in members], Attendance, default_user=user)
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, absent: dict, user=None) -> Meeting:
    """Mark the absentees, each with a reason (请假/因公/病假/无故) and a note; everybody else on the roll is present.

    `absent` maps member id -> (reason, note)."""
    _lock(meeting)
    _refuse_archived(meeting, "修改出席情况")
    _record_attendance(meeting, absent, user)
    return meeting


def _roll_entry(row: Attendance, value, *, field: str) -> tuple[bool, str, str]:
    """(present, absence_reason, note) of a roll row: None is 出席, (reason, note) an absence with its reason."""
    if value is None:
        return (True, "", "")
    reason, note = value
    if reason not in Attendance.AbsenceReason.values:
        raise ValidationError({field: f"请选择 {row.member.name} 的缺席原因。"})
    return (False, reason, (note or "").strip()[:200])


def _record_attendance(meeting: Meeting, absent: dict | None, user) -> None:
    """attendance_record() for a caller that holds the meeting's lock already. Only changed rows are written,
    in one bulk update (and one bulk insert of their history)."""
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    on_roll = {row.member_id: row for row in rows}
    absent = {int(k): v for k, v in (absent or {}).items()}
    strangers = set(absent) - set(on_roll)
    if strangers:
        raise ValidationError("缺席人员不在本次会议的参会名单中。")
    changed = []
    for row in rows:
        new = _roll_entry(row, absent.get(row.member_id), field="absent")
        if (row.present, row.absence_reason, row.note) != new:
            row.present, row.absence_reason, row.note = new
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, Attendance, ["present", "absence_reason", "note"], default_user=user)
    if meeting.status == Meeting.Status.HELD:
        _check_resolutions(meeting)


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, user=None, agenda: list[str] | None = None, absent: dict | None = None, **fields
) -> Meeting:
    """Edit a planned or held meeting (never an archived one). Changing a planned meeting's date refills its roll."""
    _lock(meeting)
    _refuse_archived(meeting, "编辑")
    old_date = meeting.date
    set_fields(meeting, fields)
    if meeting.status == Meeting.Status.HELD and meeting.date > timezone.localdate():
        raise ValidationError({"date": "已召开的会议日期不能晚于今天。"})
    if meeting.kind == K.PARTY_LECTURE and meeting.status == Meeting.Status.HELD:
        _check_lecturer(meeting)
    save_checked(meeting, user, changed=fields)
    if agenda is not None or "first_topic" in fields:
        current = current_agenda(meeting)
        set_agenda(meeting, agenda if agenda is not None else other_titles(current), current)
    if meeting.status == Meeting.Status.PLANNED and meeting.date != old_date:
        members = roll_members(
            organization=meeting.organization, kind=meeting.kind, day=meeting.date, group=meeting.group
        )
        Attendance.objects.filter(meeting=meeting).delete()
        bulk_create_with_history(
            [Attendance(meeting=meeting, member=m) for m in members], Attendance, default_user=user
        )
    if absent is not None:
        _record_attendance(meeting, absent, user)  # checks the resolutions of a held meeting
    elif meeting.status == Meeting.Status.HELD:
        _check_resolutions(meeting)
    return meeting


def _check_lecturer(meeting: Meeting) -> None:
    if meeting.lecturer_id is None and not meeting.lecturer_name.strip():
        raise ValidationError({"lecturer": "党课须填写授课人(本组织党员或外请授课人姓名)。"})


@transaction.atomic
def meeting_hold(
    *, meeting: Meeting, user=None, absent: dict | None = None, agenda: list[str] | None = None, **fields
) -> Meeting:
    """会中有记录: record a planned meeting as held, with its attendance and record, in one step."""
    _lock(meeting)
    _refuse_archived(meeting, "再次登记")
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError("该会议已登记召开,请直接编辑记录。")
    set_fields(meeting, fields)
    if meeting.date > timezone.localdate():
        raise ValidationError({"date": "会议日期还没到,不能登记为已召开。"})
    if meeting.kind == K.PARTY_LECTURE:
        _check_lecturer(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.held_at = timezone.now()
    save_checked(meeting, user, changed=fields)
    if agenda is not None or "first_topic" in fields:
        current = current_agenda(meeting)
        set_agenda(meeting, agenda if agenda is not None else other_titles(current), current)
    # Attendance is recorded (and the quorum checked against the resolutions) with the meeting already held,
    # under the lock taken above.
    _record_attendance(meeting, absent or {}, user)
    return meeting


@transaction.atomic
def meeting_archive(*, meeting: Meeting, user=None, complete: bool = False) -> Meeting:
    """会后有档案: lock the record. From now on only amendments. `complete`: refuse an incomplete record with every
    gap at once (meetings/completeness.py: 主持人, 记录人, 议题, attendance, content); the pages ask for it."""
    _lock(meeting)
    _refuse_archived(meeting, "重复归档")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("只有已召开的会议才能归档。")
    gaps = archive_gaps(meeting) if complete else {}
    if gaps:
        raise ValidationError(gaps)
    if not meeting.content.strip():
        raise ValidationError({"content": "会议内容为空,请先填写会议记录再归档。"})
    _check_resolutions(meeting)
    meeting.status = Meeting.Status.ARCHIVED
    meeting.archived_at = timezone.now()
    meeting.archived_by = user
    return save_checked(meeting, user, changed=())


@transaction.atomic
def meeting_record_held(
    *,
    organization: Organization,
    kind: str,
    date: datetime.date,
    topic: str,
    group: Organization | None = None,
    user=None,
    agenda: list[str] | None = None,
    absent: dict | None = None,
    archive: bool = False,
    **fields,
) -> Meeting:
    """记录会议: a meeting that was held, recorded in one step (planned → held, and archived when asked), with the
    rules of meeting_plan, meeting_hold and meeting_archive(complete=True). Any refusal leaves nothing behind."""
    plan_fields = {name: value for name, value in fields.items() if name in PLAN_FIELDS}
    meeting = meeting_plan(
        organization=organization, kind=kind, date=date, topic=topic, group=group, user=user, **plan_fields
    )
    record_fields = {name: value for name, value in fields.items() if name not in PLAN_FIELDS}
    meeting_hold(meeting=meeting, user=user, absent=absent, agenda=agenda, **record_fields)
    if archive:
        meeting_archive(meeting=meeting, user=user, complete=True)
    return meeting


@transaction.atomic
def meeting_amend(
    *, meeting: Meeting, user=None, reason: str, changes: dict | None = None, attendance: dict | None = None
) -> MeetingAmendment:
    """A correction to an archived record, stored beside it (who, when, why, {field: [old, new]}). The text of the
    record stays as archived. A correction of the attendance (`attendance`: member id -> None for 出席, or
    (reason, note) for an absence) is applied to the roll as well, because the indicators and the points are derived
    from the roll (one fact, recorded once); its old entry stays in the amendment and in the roll's history."""
    _lock(meeting)
    if meeting.status != Meeting.Status.ARCHIVED:
        raise ValidationError("未归档的会议请直接编辑,不需要更正说明。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写更正原因。"})
    changes = changes or {}
    if not changes and not attendance:
        raise ValidationError({"changes": "请填写更正内容。"})
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValidationError({"changes": f"不能更正这些字段:{', '.join(sorted(unknown))}"})
    stored = {}
    for name, new in changes.items():
        new = "" if new is None else str(new).strip()
        old = field_text(meeting, name)
        if new != old:
            stored[name] = [old, new]
    if attendance:
        stored.update(_amend_attendance(meeting, attendance, user))
    if not stored:
        raise ValidationError({"changes": "更正内容与原记录相同。"})
    amendment = MeetingAmendment(meeting=meeting, created_by=user, reason=reason[:500], changes=stored)
    amendment.full_clean()
    amendment.save()
    return amendment


def _attendance_text(present: bool, reason: str, note: str) -> str:
    if present:
        return "出席"
    label = Attendance.AbsenceReason(reason).label if reason in Attendance.AbsenceReason.values else reason
    return f"缺席({label}{':' + note if note else ''})"


def _amend_attendance(meeting: Meeting, attendance: dict, user) -> dict:
    """Apply an attendance correction to the archived roll; returns {attendance:<id>:<name>: [old, new]}."""
    rows = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting).select_related("member")}
    try:
        wanted = {int(k): v for k, v in attendance.items()}
    except (TypeError, ValueError):
        raise ValidationError({"attendance": "请按人员编号填写出席情况更正。"}) from None
    if set(wanted) - set(rows):
        raise ValidationError({"attendance": "更正的人员不在本次会议的参会名单中。"})
    stored, changed = {}, []
    for member_id, value in wanted.items():
        row = rows[member_id]
        new = _roll_entry(row, value, field="attendance")
        old = (row.present, row.absence_reason, row.note)
        if old != new:
            stored[f"attendance:{member_id}:{row.member.name}"] = [_attendance_text(*old), _attendance_text(*new)]
            row.present, row.absence_reason, row.note = new
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, Attendance, ["present", "absence_reason", "note"], default_user=user)
    return stored


@transaction.atomic
def attachment_add(
    *, meeting: Meeting, file, kind: str = MeetingAttachment.Kind.SIGN_IN, user=None
) -> MeetingAttachment:
    """A sign-in sheet scan or a photo: JPG/PNG/PDF up to the size limit, checked by extension AND by content."""
    _lock(meeting)
    _refuse_archived(meeting, "添加附件")
    if kind not in MeetingAttachment.Kind.values:
        raise ValidationError({"kind": "附件类型无效。"})
    original, ext = uploads.checked_file(file)
    attachment = MeetingAttachment(
        meeting=meeting, kind=kind, original_name=original[-150:], size=file.size, uploaded_by=user
    )
    attachment._history_user = user
    attachment.file.save(f"upload{ext}", file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: MeetingAttachment, user=None) -> None:
    meeting = _lock(attachment.meeting)
    _refuse_archived(meeting, "删除附件")
    attachment._history_user = user
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user=None) -> None:
    """Only a plan may be deleted; a held or archived meeting is a record."""
    _lock(meeting)
    _refuse_archived(meeting, "删除")
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError("已召开的会议是档案记录,不能删除。")
    for attachment in list(meeting.attachments.all()):
        attachment_delete(attachment=attachment, user=user)
    meeting._history_user = user
    meeting.delete()
