"""Occurrences computed from records made in the test; rubric definition and reuse; a letter item by deduction."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.letters import services as letter_services
from assessments.rectification.models import RectificationItem
from assessments.rubrics import occurrences as occ
from assessments.rubrics import selectors, services
from assessments.rubrics.models import Source
from branches.models import CommitteePosition
from meetings.models import Meeting
from tests.assessments.conftest import AFTER_2025, held, pay
from tests.factories import start_term

D = datetime.date
K = Meeting.Kind


def test_missing_meetings_are_the_ended_periods_without_the_meeting(tree, members):
    before = occ.missing_meetings(tree.branch_a, 2025, AFTER_2025)
    assemblies = [o for o in before if o.label.startswith(str(K.BRANCH_ASSEMBLY.label))]
    assert len(assemblies) == 4  # 党员大会: one a quarter
    held(tree.branch_a, K.BRANCH_ASSEMBLY, D(2025, 2, 10))
    after = occ.missing_meetings(tree.branch_a, 2025, AFTER_2025)
    assert len(after) == len(before) - 1
    assert [o.label for o in after if o.label.startswith(str(K.BRANCH_ASSEMBLY.label))] == [
        o.label for o in assemblies[1:]
    ]


def test_unpaid_member_months_are_the_elapsed_months_not_paid_in_full(tree, members):
    member = members.b[0]
    today = D(2025, 4, 10)
    for other in members.b[1:]:
        for month in (1, 2, 3):
            pay(other, tree.branch_b, D(2025, month, 1))
    pay(member, tree.branch_b, D(2025, 1, 1))
    pay(member, tree.branch_b, D(2025, 2, 1), amount="30.00")  # partial
    found = occ.dues_unpaid(tree.branch_b, 2025, today)
    assert [(o.label, o.detail) for o in found] == [
        (f"{member.name} 2025年02月", "未足额交纳"),
        (f"{member.name} 2025年03月", "未交纳"),
    ]


def test_an_overdue_term_is_one_occurrence_with_its_days(tree, members):
    start_term(
        organization=tree.branch_c,
        started_on=D(2020, 1, 1),
        has_committee=False,
        positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
    )
    found = occ.term_overdue(tree.branch_c, 2025, D(2025, 3, 1))
    assert len(found) == 1
    assert found[0].date == D(2023, 1, 1)
    assert found[0].detail == f"超期 {(D(2025, 3, 1) - D(2023, 1, 1)).days} 天"
    assert occ.term_overdue(tree.branch_a, 2025, AFTER_2025) == []  # started 2024, expires 2027


def test_a_meeting_recorded_after_five_working_days_is_late(tree, members):
    on_time = held(tree.branch_a, K.BRANCH_COMMITTEE, D(2025, 3, 3))
    late = held(tree.branch_a, K.BRANCH_ASSEMBLY, D(2025, 3, 3))
    # Monday 3 March: Monday 10 March is the 5th working day after, Tuesday 11 March the 6th.
    Meeting.objects.filter(pk=on_time.pk).update(held_at=timezone.make_aware(datetime.datetime(2025, 3, 10, 18)))
    Meeting.objects.filter(pk=late.pk).update(held_at=timezone.make_aware(datetime.datetime(2025, 3, 11, 9)))
    found = occ.late_records(tree.branch_a, 2025, AFTER_2025)
    assert len(found) == 1
    assert "会后第 6 个工作日" in found[0].detail
    assert occ.workdays_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Friday to Monday


def test_overdue_rectification_items_are_those_closed_late_or_not_at_all(tree, cast):
    def item(title, deadline, state, closed=None):
        return RectificationItem.objects.create(
            organization=tree.branch_a,
            committee=tree.committee_a,
            title=title,
            deadline=deadline,
            state=state,
            closed_at=timezone.make_aware(datetime.datetime.combine(closed, datetime.time(10))) if closed else None,
        )

    item("按时销号", D(2025, 5, 1), "closed", D(2025, 4, 20))
    item("逾期销号", D(2025, 5, 1), "closed", D(2025, 6, 1))
    item("逾期未改", D(2025, 5, 1), "open")
    item("未到期", D(2025, 12, 1), "open")
    RectificationItem.objects.create(organization=tree.branch_a, committee=tree.committee_a, title="待确认")
    found = occ.overdue_rectification(tree.branch_a, 2025, D(2025, 7, 1))
    assert [o.label for o in found] == ["逾期销号", "逾期未改"]


ITEMS = [
    {
        "title": "组织生活",
        "points": 60,
        "children": [
            {
                "title": "三会一课",
                "points": 40,
                "method": "deduction",
                "unit_points": "0.5",
                "source": Source.MISSING_MEETINGS,
            },
            {
                "title": "会议记录及时",
                "points": 20,
                "method": "deduction",
                "unit_points": "0.1",
                "source": Source.LATE_RECORDS,
            },
        ],
    },
    {
        "title": "换届",
        "points": 40,
        "children": [
            {"title": "按期换届", "points": 40, "method": "deduction", "unit_points": 3, "source": Source.TERM_OVERDUE}
        ],
    },
    {"title": "党建品牌", "points": 5, "method": "bonus"},
]


def test_a_rubric_is_defined_once_reused_next_year_and_scores_an_organization_from_its_records(tree, cast, members):
    rubric = services.rubric_create(committee=tree.committee_a, year=2025, name="2025年支部考核细则", items=ITEMS)
    copy = services.rubric_copy(rubric=rubric, year=2026, user=cast.committee)
    assert copy.name == "2026年支部考核细则" and copy.copied_from == rubric
    assert services.rubric_items_tree(copy) == services.rubric_items_tree(rubric)
    missing = len(occ.missing_meetings(tree.branch_a, 2025, AFTER_2025))
    scored = selectors.score_organization(rubric, tree.branch_a, today=AFTER_2025, given={})
    rows = {node.title: (node, found) for _d, node, found in scored.rows()}
    node, found = rows["三会一课"]
    assert len(found) == missing
    assert node.result.score == max(Decimal(40) - Decimal("0.5") * missing, Decimal(0))
    bonus = next(i for i in rubric.items.all() if i.title == "党建品牌")
    with_bonus = selectors.score_organization(rubric, tree.branch_a, today=AFTER_2025, given={bonus.pk: 9})
    assert with_bonus.outcome.total == scored.outcome.total + 5


def test_a_rubric_refuses_bad_points(tree):
    with pytest.raises(ValidationError, match="合计应为100分"):
        services.rubric_create(committee=tree.committee_a, year=2025, name="x", items=ITEMS[:1])
    with pytest.raises(ValidationError, match="每次扣分"):
        services.rubric_create(
            committee=tree.committee_a,
            year=2025,
            name="x",
            items=[{"title": "a", "points": 100, "method": "deduction"}],
        )


def test_a_letter_item_by_deduction_scores_from_the_records_and_a_bonus_is_capped(tree, cast, members):
    items = [
        {
            "area": "组织生活",
            "content": "三会一课",
            "weight": 60,
            "method": "deduction",
            "unit_points": "0.5",
            "source": Source.MISSING_MEETINGS,
        },
        {"area": "组织建设", "content": "标准化", "weight": 40},
        {"area": "创新", "content": "党建品牌", "weight": 5, "method": "bonus"},
    ]
    template = letter_services.template_create(issuer=tree.committee_a, year=2025, name="责任书", items=items)
    letter = next(
        lt for lt in letter_services.letters_issue(template=template).created if lt.recipient == tree.branch_a
    )
    letter_services.letter_sign(letter=letter)
    letter_services.letter_self_assess(letter=letter, summary="自评", item_texts={})
    by = {i.content: i for i in letter.items.all()}
    assert by["三会一课"].is_computed and by["标准化"].is_manual and by["党建品牌"].is_manual
    manual = {by["标准化"].pk: {"score": 40, "comment": "好"}, by["党建品牌"].pk: {"score": 8, "comment": "品牌"}}
    letter_services.letter_review(letter=letter, manual=manual, today=AFTER_2025, as_of=AFTER_2025)
    missing = len(occ.missing_meetings(tree.branch_a, 2025, AFTER_2025))
    deduction = max(Decimal(60) - Decimal("0.5") * missing, Decimal(0))
    by = {i.content: i for i in letter.items.all()}
    assert by["三会一课"].score == deduction
    assert by["党建品牌"].score == Decimal(5)
    letter.refresh_from_db()
    assert letter.total_score == deduction + 40 + 5
