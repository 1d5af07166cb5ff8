"""Records made with the fixed cast (tests/conftest.py) for the ledger tests: branch A has, in 2025,
2 meetings for the record book that were held or archived plus one 党小组会, one planned 主题党日 (not held: never in
the ledger), one 党课, one talk, one review grade and one month of dues; and one meeting in 2024 (another year)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from branches import dues
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.records import services as records_services
from tests.celery_worker import celery_worker, celery_worker_session  # noqa: F401

K = Meeting.Kind
YEAR = 2025


def _plan(tree, kind, date, **fields):
    return meeting_services.meeting_plan(organization=tree.branch_a, kind=kind, date=date, **fields)


def _hold(meeting, absent=None, **fields):
    return meeting_services.meeting_hold(meeting=meeting, absent=absent or {}, **fields)


@pytest.fixture
def records(tree, members):
    a = members.a
    assembly = _hold(
        _plan(
            tree, K.BRANCH_ASSEMBLY, datetime.date(YEAR, 3, 10), topic="学习贯彻全会精神",
            start_time=datetime.time(9, 0), end_time=datetime.time(11, 0), place="三楼会议室", recorder=a[2],
        ),
        absent={a[6].pk: ("leave", "出差")},
        first_topic="学习习近平新时代中国特色社会主义思想",
        agenda=["讨论年度工作计划"],
        content="=HYPERLINK(\"http://evil\",\"点我\") 大家进行了讨论",
        resolutions="通过年度工作计划",
        votes="+6 同意",
    )  # fmt: skip
    assembly = meeting_services.meeting_archive(meeting=assembly)
    committee = _hold(
        _plan(tree, K.BRANCH_COMMITTEE, datetime.date(YEAR, 4, 8), topic="@研究发展党员工作"), content="研究"
    )
    group = _hold(
        _plan(tree, K.GROUP_MEETING, datetime.date(YEAR, 5, 6), topic="党小组学习", group=tree.group_a),
        content="学习",
    )
    planned = _plan(tree, K.THEME_DAY, datetime.date(YEAR, 6, 1), topic="计划中的主题党日")
    lecture = _hold(
        _plan(
            tree, K.PARTY_LECTURE, datetime.date(YEAR, 6, 20), topic="书记讲党课:传承红色基因", lecturer=a[0],
            start_time=datetime.time(14, 0), end_time=datetime.time(16, 0),
        ),
        content="授课",
    )  # fmt: skip
    other_year = _hold(
        _plan(tree, K.BRANCH_ASSEMBLY, datetime.date(YEAR - 1, 11, 5), topic="上一年度的会"), content="x"
    )
    talk = records_services.talk_create(
        organization=tree.branch_a, held_on=datetime.date(YEAR, 7, 1), initiator=a[0], participants=[a[1], a[2]],
        summary="-谈思想、谈工作",
    )  # fmt: skip
    reviews = records_services.review_year_record(
        organization=tree.branch_a, year=YEAR, decided_on=datetime.date(YEAR, 12, 20),
        grades={a[0].pk: ("excellent", ""), a[1].pk: ("qualified", "")},
    )  # fmt: skip
    payments = dues.dues_month_record(
        organization=tree.branch_a, month=datetime.date(YEAR, 1, 1),
        rows={a[0].pk: (Decimal("90.00"), datetime.date(YEAR, 1, 15)), a[1].pk: (Decimal("90.00"), datetime.date(YEAR, 1, 20))},
    )  # fmt: skip
    return SimpleNamespace(
        assembly=assembly, committee=committee, group=group, planned=planned, lecture=lecture, other_year=other_year,
        talk=talk, reviews=reviews, payments=payments,
    )  # fmt: skip
