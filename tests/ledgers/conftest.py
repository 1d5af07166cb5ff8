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


PHRASES = (
    "支部书记传达了上级党委关于加强基层党组织建设的部署要求",
    "与会党员结合本职工作逐一发言,查找在理论学习、作风建设方面存在的不足",
    "会议认为,要把学习成果转化为推动企业高质量发展的实际成效",
    "组织委员通报了发展党员工作进展和党费收缴情况",
    "大家围绕安全生产、项目攻坚和服务群众提出了具体意见和建议",
    "宣传委员介绍了主题党日活动的安排,要求全体党员按时参加",
)


def long_content(i: int, paragraphs: int) -> str:
    """A meeting record of several distinct paragraphs (each findable in the printed text)."""
    return "\n".join(
        f"({j + 1})第{i}次会议记录第{j + 1}段:" + ",".join(PHRASES[(i + j + k) % len(PHRASES)] for k in range(4)) + "。"
        for j in range(paragraphs)
    )


@pytest.fixture
def book_branch(tree, members):
    """Branch A with a year of a dozen meetings of realistic length (one as long as four pages' worth of notes),
    archived, with a correction: the 会议记录本 of a working branch."""
    a = members.a
    kinds = [K.BRANCH_ASSEMBLY, K.BRANCH_COMMITTEE, K.THEME_DAY, K.BRANCH_COMMITTEE]
    meetings = []
    for i in range(1, 13):
        kind = kinds[i % len(kinds)]
        paragraphs = 60 if i == 5 else 3 + (i * 5) % 9
        meeting = _hold(
            _plan(
                tree, kind, datetime.date(YEAR, i, 8 + i), topic=f"第{i}次会议:学习贯彻党的二十届三中全会精神,推进{i}月重点工作",
                start_time=datetime.time(9, 0), end_time=datetime.time(11, 30), place="公司三楼党员活动室",
                recorder=a[2],
            ),
            absent={a[6].pk: ("leave", "外出培训")} if i % 3 == 0 and kind != K.BRANCH_COMMITTEE else {},
            first_topic="学习习近平总书记关于党的建设的重要思想" if kind == K.BRANCH_ASSEMBLY else "",
            agenda=[f"研究{i}月份党建工作要点", "讨论发展党员工作"],
            content=long_content(i, paragraphs),
            votes="应到7人,实到7人,全票同意" if kind == K.BRANCH_ASSEMBLY else "",
            resolutions=f"通过{i}月份党建工作要点" if kind == K.BRANCH_ASSEMBLY else "",
            open_items="各党小组于月底前报送学习心得",
        )  # fmt: skip
        meetings.append(meeting_services.meeting_archive(meeting=meeting))
    meeting_services.meeting_amend(
        meeting=meetings[0], reason="记录人笔误,更正会议地点", changes={"place": "公司四楼会议室"}
    )
    for month in range(1, 8):  # dues paid January to July by all but the last member
        dues.dues_month_record(
            organization=tree.branch_a, month=datetime.date(YEAR, month, 1),
            rows={m.pk: (Decimal("90.00"), datetime.date(YEAR, month, 10 + month)) for m in a[:-1]},
        )  # fmt: skip
    return SimpleNamespace(branch=tree.branch_a, meetings=meetings)
