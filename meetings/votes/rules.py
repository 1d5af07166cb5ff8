"""Who votes at a 党员大会, and whether a resolution passed: pure functions, no query.

支部工作条例 第十一条: 党员大会 voting may proceed only with more than half of the voting members present (the quorum:
meetings/attendance.py QUORUM_RULES), and a resolution passes when those in favour exceed half of the voting members
who should attend (应到会有表决权的党员), not half of those present."""

import datetime

from branches.models import Member


def has_vote(member: Member, day: datetime.date) -> bool:
    """A voter on `day`: a 正式党员 in good standing (预备党员 and 停止党籍 members have no vote)."""
    # TODO(lead): use branches.standing (h10) once merged: it also knows 留党察看 (no vote).
    return member.full_on is not None and member.full_on <= day and member.status != Member.Status.SUSPENDED


def resolution_passed(*, votes_for: int, voting_expected: int) -> bool:
    # 支部工作条例 第十一条: 赞成人数超过应到会有表决权的党员的半数为通过.
    return voting_expected > 0 and votes_for * 2 > voting_expected
