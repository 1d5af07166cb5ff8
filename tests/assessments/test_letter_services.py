"""Responsibility letters (DOMAIN.md "Responsibility letters and assessment"): the lifecycle, weights, cascades, scoring."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.letters import scoring, services
from assessments.models import Letter, LetterEvent, LetterItem
from meetings.models import Meeting
from tests.assessments.conftest import held

from . import test_letter_helpers as helpers
from .test_letter_helpers import (
    AFTER,
    STANDARD_ITEMS,
    YEAR,
    final_with_score,
    issue,
    letter_to,
    make_template,
    manual_scores,
    to_final,
    to_self_assessed,
)

# Fixtures shared with the other letter tests (pytest finds them by their module-level names).
indicator_set = helpers.indicator_set
issued = helpers.issued

S = Letter.Status
pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- issuing


def test_one_action_issues_a_letter_to_every_organization_directly_below(tree, issued):
    assert {lt.recipient for lt in issued.created} == {tree.branch_a, tree.branch_b}
    letter = letter_to(issued, tree.branch_a)
    assert letter.status == S.ISSUED and letter.issuer == tree.committee_a and letter.year == YEAR
    assert letter.items.count() == len(STANDARD_ITEMS)
    assert sum(i.weight for i in letter.items.all()) == 100
    # 党小组 sign no letters
    assert not Letter.objects.filter(recipient=tree.group_a).exists()


def test_issuing_again_skips_organizations_that_already_hold_a_letter(tree, issued):
    template = make_template(tree.committee_a, name="第二份")
    again = services.letters_issue(template=template)
    assert again.created == [] and set(again.skipped) == {tree.branch_a, tree.branch_b}
    assert Letter.objects.filter(issuer=tree.committee_a, year=YEAR).count() == 2


def test_a_template_whose_weights_do_not_sum_to_100_cannot_be_issued(tree):
    template = make_template(tree.committee_a, items=STANDARD_ITEMS[:-1])  # 90 points
    with pytest.raises(ValidationError, match="合计应为100分,当前为90分"):
        services.letters_issue(template=template)
    assert not Letter.objects.exists()


def test_a_negative_weight_is_refused(tree):
    with pytest.raises(ValidationError, match="分值不能为负数"):
        make_template(tree.committee_a, items=[{"area": "a", "content": "b", "weight": Decimal(-1)}])


def test_an_unknown_indicator_code_is_refused(tree):
    with pytest.raises(ValidationError, match="没有指标"):
        make_template(tree.committee_a, items=[{"area": "a", "content": "b", "weight": 100, "indicator_code": "x"}])


def test_a_branch_cannot_issue_letters(tree):
    with pytest.raises(ValidationError, match="只有党委、党总支"):
        make_template(tree.branch_a)


def test_drafted_letters_are_issued_one_by_one_and_record_who(tree, cast):
    result = issue(tree.committee_a, draft=True)
    letter = letter_to(result, tree.branch_a)
    assert letter.status == S.DRAFTED
    services.letter_issue(letter=letter, user=cast.committee)
    letter.refresh_from_db()
    assert letter.status == S.ISSUED and letter.issued_on is not None
    assert list(letter.events.values_list("status", "user__username")) == [
        (S.DRAFTED, None),
        (S.ISSUED, "committee"),
    ]


# ---------------------------------------------------------------- the cascade (层层分解)


def test_a_recipient_cascades_its_signed_letter_and_the_new_letters_point_to_it(tree, cast):
    from_root = issue(tree.root, user=cast.admin)
    letter_a = letter_to(from_root, tree.committee_a)
    services.letter_sign(letter=letter_a, user=cast.committee)
    template = services.letter_cascade(letter=letter_a, user=cast.committee)
    assert template.issuer == tree.committee_a and template.source_letter == letter_a
    assert template.items.count() == len(STANDARD_ITEMS)
    result = services.letters_issue(template=template, user=cast.committee)
    assert {lt.parent_id for lt in result.created} == {letter_a.pk}
    assert services.letter_cascade(letter=letter_a) == template  # once per letter


def test_an_unsigned_letter_cannot_be_cascaded(tree):
    letter_a = letter_to(issue(tree.root), tree.committee_a)
    with pytest.raises(ValidationError, match="不能分解下达"):
        services.letter_cascade(letter=letter_a)


def test_a_branch_does_not_cascade(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    services.letter_sign(letter=letter)
    with pytest.raises(ValidationError, match="党支部不再向下分解"):
        services.letter_cascade(letter=letter)


def test_letters_issued_without_a_cascade_template_still_find_their_parent(tree):
    letter_a = letter_to(issue(tree.root), tree.committee_a)
    result = issue(tree.committee_a)
    assert {lt.parent_id for lt in result.created} == {letter_a.pk}


# ---------------------------------------------------------------- lifecycle


def test_wrong_state_transitions_are_refused_with_a_clear_message(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    with pytest.raises(ValidationError, match="当前状态为“已下达”,不能自评"):
        services.letter_self_assess(letter=letter, summary="x", item_texts={})
    with pytest.raises(ValidationError, match="不能定档"):
        services.letter_finalize(letter=letter)
    with pytest.raises(ValidationError, match="不能考核评分"):
        services.letter_review(letter=letter, manual={}, today=AFTER)
    services.letter_sign(letter=letter)
    with pytest.raises(ValidationError, match="不能签订"):
        services.letter_sign(letter=letter)


def test_self_assessment_keeps_a_text_per_item_and_needs_a_summary(tree, issued, cast):
    letter = letter_to(issued, tree.branch_a)
    services.letter_sign(letter=letter, user=cast.secretary)
    item = letter.items.first()
    with pytest.raises(ValidationError):
        services.letter_self_assess(letter=letter, summary="  ", item_texts={})
    services.letter_self_assess(letter=letter, summary="总结", item_texts={item.pk: "按月召开"}, user=cast.secretary)
    item.refresh_from_db()
    letter.refresh_from_db()
    assert item.self_assessment == "按月召开" and letter.status == S.SELF_ASSESSED
    assert letter.events.filter(status=S.SIGNED, user=cast.secretary).exists()


def test_the_review_waits_for_the_end_of_the_year(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    with pytest.raises(ValidationError, match="2025年结束后"):
        services.letter_review(letter=letter, manual=manual_scores(letter), today=datetime.date(2025, 12, 31))


def test_manual_items_need_a_score_within_the_weight_and_a_comment(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    manual = manual_scores(letter)
    first, second = list(manual)[:2]
    manual[first]["score"] = Decimal("25")  # weight 20
    manual[second]["comment"] = ""
    with pytest.raises(ValidationError) as caught:
        services.letter_review(letter=letter, manual=manual, today=AFTER, as_of=AFTER)
    assert "得分应在0到20分之间" in str(caught.value.message_dict[f"score_{first}"])
    assert caught.value.message_dict[f"comment_{second}"] == ["请填写评分说明。"]
    letter.refresh_from_db()
    assert letter.status == S.SELF_ASSESSED


def test_indicator_items_score_weight_times_the_rate_of_the_records(tree, members, issued):
    # 主题党日 held in 9 of the 12 months of 2025: rate 75% of 10 points = 7.5
    for month in range(1, 10):
        held(tree.branch_a, Meeting.Kind.THEME_DAY, datetime.date(YEAR, month, 10))
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    services.letter_review(letter=letter, manual=manual_scores(letter), today=AFTER, as_of=AFTER)
    theme = letter.items.get(indicator_code="theme_day")
    assert theme.indicator_rate == pytest.approx(0.75)
    assert theme.score == Decimal("7.50") and theme.indicator_status == "not_met"
    meetings = letter.items.get(indicator_code="three_meetings_one_lesson")
    assert meetings.score == Decimal("0.00")  # no 支委会, 党小组会, 大会 or 党课 at all


def test_total_and_grade_follow_the_thresholds(tree, members, issued):
    letter = letter_to(issued, tree.branch_b)
    # nothing logged: indicator items 0; manual 20 + 20 + 10 = 50 -> 不达标
    to_final(letter, score=Decimal(20))
    letter.refresh_from_db()
    assert letter.total_score == Decimal("50.00") and letter.grade == Letter.Grade.FAILED
    assert letter.status == S.FINAL


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "passed"),
        ("76", "passed"),
        ("75.99", "failed"),
        ("75", "failed"),
    ],
)
def test_grades_are_90_and_above_excellent_76_to_89_passed_75_and_below_failed(tree, total, grade):
    letter = final_with_score(tree.committee_a, tree.branch_a, total)
    assert letter.grade == grade


def test_grade_thresholds_are_configurable(tree, settings):
    settings.LETTER_GRADE_THRESHOLDS = {"excellent": 95, "passed": 60}
    assert final_with_score(tree.committee_a, tree.branch_a, 92).grade == Letter.Grade.PASSED


def test_a_failed_veto_item_forces_failed_whatever_the_total(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    manual = manual_scores(letter, score=Decimal(20))
    veto_item = letter.items.get(veto=True)
    manual[veto_item.pk]["veto_failed"] = True
    with pytest.MonkeyPatch.context() as mp:
        # every indicator fully met: total 100, still 不达标 because of the veto
        mp.setattr(scoring, "_recipient_rates", lambda letter, as_of: {})
        services.letter_review(letter=letter, manual=manual, today=AFTER)
    letter.refresh_from_db()
    assert letter.total_score == Decimal("100.00")
    assert letter.veto_triggered and letter.grade == Letter.Grade.FAILED


def test_a_veto_item_linked_to_an_indicator_fails_when_the_indicator_is_not_met(tree, members):
    items = [
        {"area": "组织生活", "content": "主题党日", "weight": Decimal(10), "indicator_code": "theme_day", "veto": True},
        {"area": "其他", "content": "其他", "weight": Decimal(90)},
    ]
    template = make_template(tree.committee_a, items=items)
    letter = letter_to(services.letters_issue(template=template), tree.branch_a)
    to_self_assessed(letter)
    services.letter_review(letter=letter, manual=manual_scores(letter, score=Decimal(90)), today=AFTER, as_of=AFTER)
    letter.refresh_from_db()
    assert letter.total_score == Decimal("90.00") and letter.veto_triggered and letter.grade == "failed"


def test_nothing_required_scores_full_weight(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scoring, "_recipient_rates", lambda letter, as_of: {"theme_day": (None, "pending")})
        autos = scoring.auto_scores(letter, list(letter.items.all()), as_of=AFTER)
    theme = letter.items.get(indicator_code="theme_day")
    assert autos[theme.pk].score == theme.weight and "满分" in autos[theme.pk].note


def test_a_committee_letter_scores_indicators_over_its_subtree(tree, members):
    # branch A holds 12 主题党日, branch B none: the enterprise's rate is 12 of 24 months
    for month in range(1, 13):
        held(tree.branch_a, Meeting.Kind.THEME_DAY, datetime.date(YEAR, month, 10))
    letter = letter_to(issue(tree.root), tree.committee_a)
    theme = letter.items.get(indicator_code="theme_day")
    autos = scoring.auto_scores(letter, [theme], as_of=AFTER)
    assert autos[theme.pk].rate == pytest.approx(0.5) and autos[theme.pk].score == Decimal("5.00")


def test_a_final_letter_cannot_be_reviewed_again(tree, issued):
    letter = letter_to(issued, tree.branch_a)
    to_final(letter)
    with pytest.raises(ValidationError, match="已定档"):
        services.letter_review(letter=letter, manual=manual_scores(letter), today=AFTER)


def test_every_step_is_logged_with_who_did_it(tree, issued, cast):
    letter = letter_to(issued, tree.branch_a)
    to_final(letter, user=cast.secretary)
    assert list(LetterEvent.objects.filter(letter=letter).values_list("status", flat=True)) == [
        S.DRAFTED,
        S.ISSUED,
        S.SIGNED,
        S.SELF_ASSESSED,
        S.REVIEWED,
        S.FINAL,
    ]


# ---------------------------------------------------------------- database rules


def test_one_letter_per_year_recipient_and_issuer_in_the_database(tree, issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(year=YEAR, issuer=tree.committee_a, recipient=tree.branch_a, title="重复")


def test_a_score_above_the_weight_is_refused_by_the_database(tree, issued):
    item = letter_to(issued, tree.branch_a).items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterItem.objects.filter(pk=item.pk).update(score=item.weight + 1)


def test_a_negative_weight_is_refused_by_the_database(tree, issued):
    item = letter_to(issued, tree.branch_a).items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterItem.objects.filter(pk=item.pk).update(weight=-1)
