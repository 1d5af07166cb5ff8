"""Writes for 谈心谈话 and 民主评议党员. Views, forms, the admin and the API all call these functions.

Each is atomic, checks its own rules and raises ValidationError with a Chinese message. `_history_user` records who
made the change in the audit history even outside a web request.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches import standing
from branches.models import Member, Membership, Organization
from branches.selectors import members_during

from ..models import MemberReview, Talk
from . import hooks

TALK_EDITABLE_FIELDS = ("held_on", "initiator", "participants", "summary")


def _check_branch(organization: Organization) -> None:
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("谈心谈话、民主评议按党支部记录。")


def _members_on(organization: Organization, day: datetime.date, member_ids: Iterable[int]) -> set[int]:
    """Which of these members belonged to the branch on that day (组织关系 periods, not today's roster)."""
    return set(
        Membership.objects.filter(organization=organization, member_id__in=list(member_ids), started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("member_id", flat=True)
    )


def talk_validate(
    *, organization: Organization, held_on: datetime.date, initiator: Member, participants: list[Member], summary: str
) -> None:
    _check_branch(organization)
    errors = []
    if held_on is None:
        raise ValidationError({"held_on": "请填写谈话日期。"})
    if held_on > timezone.localdate():
        errors.append("谈话日期不能晚于今天。")
    if not participants:
        errors.append("请至少选择一名谈话对象。")
    if any(p.pk == initiator.pk for p in participants):
        errors.append("谈话人不能同时是谈话对象。")
    if not (summary or "").strip():
        errors.append("请填写谈话内容摘要。")
    # 支部工作条例 第十四条: talks are between the branch's own members (committee members and members).
    belonging = _members_on(organization, held_on, [initiator.pk, *(p.pk for p in participants)])
    if initiator.pk not in belonging:
        errors.append(f"谈话人{initiator.name}在{held_on}不是本支部党员。")
    outsiders = [p.name for p in participants if p.pk not in belonging]
    if outsiders:
        errors.append(f"{'、'.join(outsiders)}在{held_on}不是本支部党员。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def talk_create(
    *,
    organization: Organization,
    held_on: datetime.date,
    initiator: Member,
    participants: Iterable[Member],
    summary: str,
    user=None,
) -> Talk:
    participants = list(participants)
    talk_validate(
        organization=organization, held_on=held_on, initiator=initiator, participants=participants, summary=summary
    )
    talk = Talk(
        organization=organization,
        held_on=held_on,
        initiator=initiator,
        summary=summary.strip(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    talk._history_user = user
    talk.full_clean()
    talk.save()
    talk.participants.set(participants)
    return talk


@transaction.atomic
def talk_update(*, talk: Talk, user=None, **fields) -> Talk:
    unknown = set(fields) - set(TALK_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段:{', '.join(sorted(unknown))}")
    participants = list(fields.pop("participants", talk.participants.all()))
    for name, value in fields.items():
        setattr(talk, name, value)
    if "summary" in fields:
        talk.summary = (talk.summary or "").strip()
    talk_validate(
        organization=talk.organization,
        held_on=talk.held_on,
        initiator=talk.initiator,
        participants=participants,
        summary=talk.summary,
    )
    talk._history_user = user
    talk.full_clean()
    talk.save()
    if {p.pk for p in participants} != set(talk.participants.values_list("pk", flat=True)):
        talk.participants.set(participants)
    return talk


@transaction.atomic
def talk_delete(*, talk: Talk, user=None) -> None:
    # The history keeps the deleted record (who deleted it, when, what it said).
    talk._history_user = user
    talk.delete()


# ---------------------------------------------------------------- 民主评议党员


def _check_review_date(year: int, decided_on: datetime.date | None, today: datetime.date) -> list[str]:
    errors = []
    if year > today.year:
        errors.append(f"{year}年度尚未开始,不能评议。")
    if decided_on is None:
        errors.append("请填写评议会议日期。")
    else:
        if decided_on > today:
            errors.append("评议会议日期不能晚于今天。")
        # 民主评议 is held at the year's end or early the next year (usually with the 组织生活会).
        if decided_on.year not in (year, year + 1):
            errors.append(f"{year}年度的评议会议应在{year}年或{year + 1}年召开。")
    return errors


def review_grade_problem(member, grade: str, day: datetime.date) -> str:
    """DOMAIN.md "Standing of members": a 停止党籍 member is not reviewed; a 预备党员 takes part, graded or not per
    branches/standing.review_graded, and is never 优秀; a 正式党员 is graded. "" when the grade is allowed."""
    G = MemberReview.Grade
    if member.status == standing.SUSPENDED:
        return "停止党籍的党员不参加民主评议。"
    full = member.full_on is not None and member.full_on <= day
    if not full and grade == G.EXCELLENT:
        return "预备党员不能评为优秀。"
    graded = standing.review_graded(member, day)
    if not graded and grade != G.NOT_GRADED:
        return "预备党员参加评议,不评定等次。"
    if full and grade == G.NOT_GRADED:
        return "正式党员须评定等次。"
    return ""


def _review_plan(
    *,
    organization: Organization,
    year: int,
    decided_on: datetime.date | None,
    grades: Mapping[int, tuple[str, str]],
    meeting,
    today: datetime.date,
) -> tuple[list[MemberReview], list[MemberReview]]:
    """Check every row and work out what to create and what to update; raise with every problem found."""
    _check_branch(organization)
    if meeting is not None:
        if meeting.organization_id != organization.pk:
            raise ValidationError("评议会议必须是本支部的会议。")
        decided_on = decided_on or meeting.date
    errors = _check_review_date(year, decided_on, today)
    roster = {m.pk: m for m in members_during(organization, datetime.date(year, 1, 1), datetime.date(year, 12, 31))}
    existing = {
        r.member_id: r for r in MemberReview.objects.select_for_update().filter(year=year, member_id__in=list(grades))
    }
    valid_grades = set(MemberReview.Grade.values)
    to_create, to_update = [], []
    for member_id, (grade, notes) in grades.items():
        member = roster.get(member_id)
        if member is None:
            errors.append(f"党员(编号{member_id}){year}年不属于{organization.name},不能在本支部评议。")
            continue
        if grade not in valid_grades:
            errors.append(f"{member.name}:请选择评议等次。")
            continue
        problem = review_grade_problem(member, grade, decided_on or today)
        if problem:
            errors.append(f"{member.name}:{problem}")
            continue
        notes = (notes or "").strip()
        if len(notes) > 500:
            errors.append(f"{member.name}:备注不能超过500字。")
        review = existing.get(member_id)
        if review is None:
            to_create.append(
                MemberReview(
                    member=member,
                    organization=organization,
                    year=year,
                    grade=grade,
                    decided_on=decided_on,
                    meeting=meeting,
                    notes=notes,
                )
            )
            continue
        if review.organization_id != organization.pk:
            errors.append(f"{member.name}:{year}年度已在其他支部评议。")
            continue
        if review.grade != grade:
            review.follow_up_done = False
        review.grade, review.notes, review.decided_on = grade, notes, decided_on
        if meeting is not None:
            review.meeting = meeting
        to_update.append(review)
    # Local rules registered by apps above (e.g. points: 优秀 only above a rank); meetings/records/hooks.py.
    errors += hooks.grade_problems(organization, year, {member_id: grade for member_id, (grade, _n) in grades.items()})
    if errors:
        raise ValidationError(errors)
    return to_create, to_update


def review_validate(
    *, organization: Organization, year: int, decided_on, grades: Mapping[int, tuple[str, str]], meeting=None
) -> None:
    """The rules of review_year_record without writing anything (the admin form calls it)."""
    _review_plan(
        organization=organization,
        year=year,
        decided_on=decided_on,
        grades=grades,
        meeting=meeting,
        today=timezone.localdate(),
    )


@transaction.atomic
def review_year_record(
    *,
    organization: Organization,
    year: int,
    decided_on: datetime.date | None,
    grades: Mapping[int, tuple[str, str]],
    meeting=None,
    user=None,
    today: datetime.date | None = None,
) -> list[MemberReview]:
    """Grade members of a branch for a year in one go: {member_id: (grade, notes)}.

    All or nothing: every row is checked and every problem reported together. A member may be graded by one branch a
    year (the one they belonged to when reviewed); the review can be corrected later, and the history keeps the old grade.
    A 不合格 grade opens a follow-up (组织处置) until it is marked done."""
    to_create, to_update = _review_plan(
        organization=organization,
        year=year,
        decided_on=decided_on,
        grades=grades,
        meeting=meeting,
        today=today or timezone.localdate(),
    )
    created = bulk_create_with_history(to_create, MemberReview, default_user=user) if to_create else []
    if to_update:
        bulk_update_with_history(
            to_update, MemberReview, ["grade", "notes", "decided_on", "meeting", "follow_up_done"], default_user=user
        )
    return list(created) + to_update


def review_record(
    *,
    organization: Organization,
    member: Member,
    year: int,
    grade: str,
    decided_on: datetime.date | None,
    notes: str = "",
    meeting=None,
    user=None,
) -> MemberReview:
    """One member's grade (the API): the same rules as the whole-branch screen."""
    (review,) = review_year_record(
        organization=organization,
        year=year,
        decided_on=decided_on,
        grades={member.pk: (grade, notes)},
        meeting=meeting,
        user=user,
    )
    return review


@transaction.atomic
def review_follow_up_done(*, review: MemberReview, user=None, note: str = "") -> MemberReview:
    """组织处置 of a 不合格 member has been done (限期改正, 劝退 …): the flag closes, the note says what was done."""
    if review.grade != MemberReview.Grade.UNQUALIFIED:
        raise ValidationError("只有评定为不合格的党员需要组织处置。")
    if review.follow_up_done:
        raise ValidationError("该党员的组织处置已经办结。")
    note = (note or "").strip()
    if note:
        review.notes = f"{review.notes};处置:{note}" if review.notes else f"处置:{note}"
        if len(review.notes) > 500:
            raise ValidationError("备注不能超过500字。")
    review.follow_up_done = True
    review._history_user = user
    review.save(update_fields=["follow_up_done", "notes"])
    return review
