"""Who votes at a 党员大会, and whether a resolution passed: pure functions, no query.

支部工作条例 第十一条: 党员大会 voting may proceed only with more than half of the voting members present (the quorum:
meetings/attendance.py QUORUM_RULES), and a resolution passes when those in favour exceed half of the voting members
who should attend (应到会有表决权的党员), not half of those present."""

from branches import standing

# Who has a vote is branches' rule (standing.py: 正式党员, not 停止党籍, not under 留党察看); re-exported for callers here.
has_vote = standing.has_vote


def resolution_passed(*, votes_for: int, voting_expected: int) -> bool:
    # 支部工作条例 第十一条: 赞成人数超过应到会有表决权的党员的半数为通过.
    return voting_expected > 0 and votes_for * 2 > voting_expected
