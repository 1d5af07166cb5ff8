"""Each of the 8 hard indicators on a branch with a known year of records (DOMAIN.md "How an indicator is computed").

Branch A (7 members, a committee since 2024-03, one 党小组) and branch B (3 members, no committee) come from the cast;
2025 is judged on 2026-01-15 unless a test says otherwise.
"""

import pytest

from assessments.indicators import rules, selectors
from branches import services
from branches.models import CommitteePosition, CommitteeTerm
from tests.assessments.conftest import AFTER_2025, D, K, held, pay, planned, result, review, talk
from tests.factories import make_member, make_organization, start_term

pytestmark = pytest.mark.django_db

MONTHS = [D(2025, m, 10) for m in range(1, 13)]


def full_three_meetings(tree, members, *, skip=()):
    """A year of 三会一课 for branch A, leaving out the (kind, month) pairs in `skip`."""
    for day in MONTHS:
        if (K.BRANCH_COMMITTEE, day.month) not in skip:
            held(tree.branch_a, K.BRANCH_COMMITTEE, day)
        if (K.GROUP_MEETING, day.month) not in skip:
            held(tree.branch_a, K.GROUP_MEETING, day, group=tree.group_a)
        if day.month % 3 == 2:  # once a quarter, in its middle month
            if (K.BRANCH_ASSEMBLY, day.month) not in skip:
                held(tree.branch_a, K.BRANCH_ASSEMBLY, day)
            if (K.PARTY_LECTURE, day.month) not in skip:
                held(tree.branch_a, K.PARTY_LECTURE, day, lecturer=members.a[0] if day.month == 2 else members.a[1])


# ---------------------------------------------------------------- 三会一课


def test_three_meetings_one_lesson_counts_every_period_item(tree, members, figures):
    full_three_meetings(tree, members, skip={(K.BRANCH_COMMITTEE, 4), (K.BRANCH_ASSEMBLY, 11)})
    r = result(tree.branch_a, "three_meetings_one_lesson")
    # 12 支委会 + 12 党小组会 + 4 党员大会 + 4 党课 + the 书记's lecture = 33; April's 支委会 and Q4's 党员大会 missing.
    assert figures(r) == (33, 31, round(31 / 33, 4), rules.PARTLY_MET, ("2025-04", "2025-Q4"))
    assert [(g.label, g.text) for g in r.gaps] == [("2025-04", "无支委会"), ("2025-Q4", "无支部党员大会")]
    assert "kind=branch_committee" in r.gaps[0].link and "date_from=2025-04-01" in r.gaps[0].link
    assert "date_to=2025-04-30" in r.gaps[0].link


def test_a_full_year_of_three_meetings_one_lesson_is_met(tree, members, figures):
    full_three_meetings(tree, members)
    assert figures(result(tree.branch_a, "three_meetings_one_lesson")) == (33, 33, 1.0, rules.MET, ())


def test_the_secretary_must_lecture_once_a_year(tree, members, figures):
    full_three_meetings(tree, members, skip={(K.PARTY_LECTURE, 2)})
    held(tree.branch_a, K.PARTY_LECTURE, D(2025, 2, 20), lecturer=members.a[2])  # the 宣传委员, not the 书记
    r = result(tree.branch_a, "three_meetings_one_lesson")
    assert figures(r) == (33, 32, round(32 / 33, 4), rules.PARTLY_MET, ("2025",))
    assert r.gaps[0].text == "书记未讲党课"


def test_the_lecture_frequency_is_local_practice_and_configurable(tree, members, figures, settings):
    # 党课 once a quarter is local practice (DOMAIN.md): a locality that asks for one a month owes twelve.
    settings.MEETING_FREQUENCIES = {K.PARTY_LECTURE: "month"}
    full_three_meetings(tree, members)  # lectures in February, May, August and November only
    r = result(tree.branch_a, "three_meetings_one_lesson")
    assert (r.required, r.done) == (12 + 12 + 4 + 12 + 1, 12 + 12 + 4 + 4 + 1)
    assert [g.label for g in r.gaps if g.text == "无党课"] == [f"2025-{m:02d}" for m in (1, 3, 4, 6, 7, 9, 10, 12)]


def test_a_branch_without_a_committee_owes_no_committee_meetings(tree, members):
    r = result(tree.branch_b, "three_meetings_one_lesson")
    assert r.required == 4 + 4 + 1  # 党员大会 and 党课 per quarter, the 书记's lecture; no 支委会, no 党小组
    assert not any("支委会" in g.text for g in r.gaps)


def test_group_meetings_are_owed_per_group_from_the_group_establishment(tree, members):
    group_b = make_organization(tree.branch_a, "group", name="第二党小组", established_on=D(2025, 7, 1))
    full_three_meetings(tree, members)  # the first group meets every month; the second never
    r = result(tree.branch_a, "three_meetings_one_lesson")
    assert r.required == 33 + 6  # July to December for the second group
    assert r.done == 33
    assert r.missing == tuple(f"2025-{m:02d}" for m in range(7, 13))
    assert {g.text for g in r.gaps} == {"第二党小组无党小组会"}
    assert group_b.pk  # used


def test_a_committee_set_up_mid_year_owes_committee_meetings_from_then(tree, members):
    start_term(
        organization=tree.branch_b,
        started_on=D(2025, 7, 1),
        has_committee=True,
        positions=[(members.b[0], CommitteePosition.Role.SECRETARY)],
    )
    assert result(tree.branch_b, "three_meetings_one_lesson").required == 9 + 6


# ---------------------------------------------------------------- 主题党日, 组织生活会, 民主生活会


def test_two_theme_days_in_march_do_not_cover_april(tree, members, figures):
    for day in MONTHS:
        if day.month != 4:
            held(tree.branch_a, K.THEME_DAY, day)
    held(tree.branch_a, K.THEME_DAY, D(2025, 3, 28))
    r = result(tree.branch_a, "theme_day")
    assert figures(r) == (12, 11, round(11 / 12, 4), rules.PARTLY_MET, ("2025-04",))
    march = next(p for p in r.periods if p.label == "2025-03")
    assert (march.required, march.done) == (1, 1)


def test_a_planned_meeting_that_was_not_held_never_counts(tree, members, figures):
    planned(tree.branch_a, K.ORG_LIFE, D(2025, 12, 20))
    assert figures(result(tree.branch_a, "org_life")) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    held(tree.branch_a, K.ORG_LIFE, D(2025, 12, 22))
    assert figures(result(tree.branch_a, "org_life")) == (1, 1, 1.0, rules.MET, ())


def test_a_meeting_counts_for_the_period_its_date_falls_in(tree, members):
    held(tree.branch_a, K.THEME_DAY, D(2024, 12, 31))  # last year's December, not this January
    held(tree.branch_a, K.THEME_DAY, D(2025, 2, 1))
    r = result(tree.branch_a, "theme_day")
    assert r.done == 1 and "2025-01" in r.missing and "2025-02" not in r.missing


def test_democratic_life_applies_to_committees_only(tree, members, figures):
    start_term(
        organization=tree.committee_a,
        started_on=D(2023, 1, 1),
        positions=[(members.a[0], CommitteePosition.Role.SECRETARY)],
    )
    start_term(
        organization=tree.committee_b,
        started_on=D(2023, 1, 1),
        positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
    )
    held(tree.committee_a, K.DEMOCRATIC_LIFE, D(2025, 1, 20))
    assert figures(result(tree.committee_a, "democratic_life")) == (1, 1, 1.0, rules.MET, ())
    assert figures(result(tree.committee_b, "democratic_life")) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert result(tree.branch_a, "democratic_life") is None
    assert [r.code for r in selectors.indicator_results(tree.committee_a, 2025, AFTER_2025)] == [
        "democratic_life",
        "term_on_time",
    ]


def test_a_committee_without_a_term_in_the_year_owes_no_democratic_life_meeting(tree, members, figures):
    # The meeting service refuses a 民主生活会 without a committee term in force (like a 支委会 without a committee),
    # so a year without any term owes none: the indicator is pending, not failed. 按期换届 still flags the missing term.
    assert figures(result(tree.committee_b, "democratic_life")) == (0, 0, None, rules.PENDING, ())
    assert result(tree.committee_b, "term_on_time").gaps[0].text == "未录入委员会届次"


def test_a_committee_term_that_starts_mid_year_makes_that_year_owe_one(tree, members, figures):
    start_term(
        organization=tree.committee_b,
        started_on=D(2025, 9, 1),
        positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
    )
    assert figures(result(tree.committee_b, "democratic_life")) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert figures(result(tree.committee_b, "democratic_life", year=2024)) == (0, 0, None, rules.PENDING, ())


def test_groups_have_no_indicators(tree, members):
    assert selectors.indicator_results(tree.group_a, 2025, AFTER_2025) == []


# ---------------------------------------------------------------- coverage: 谈心谈话, 民主评议党员


def test_talks_cover_the_members_who_belong_on_the_year_s_last_day(tree, members, figures):
    leaver, newcomer = members.a[6], make_member(tree.branch_b, name="新转入")
    services.member_transfer(member=leaver, to_organization=tree.branch_b, on=D(2025, 6, 15))
    services.member_transfer(member=newcomer, to_organization=tree.branch_a, on=D(2025, 9, 1))
    talk(tree.branch_a, D(2025, 3, 1), members.a[0], *members.a[1:5])
    # issue 11: branch A owes its members on 31 December: 6 (the leaver went in June) plus the newcomer = 7.
    assert figures(result(tree.branch_a, "talks")) == (7, 5, 0.7143, rules.NOT_MET, ("2025",))
    assert result(tree.branch_a, "talks").gaps[0].text == "2名党员未谈心谈话"
    talk(tree.branch_a, D(2025, 10, 1), members.a[5], newcomer)
    talk(tree.branch_b, D(2025, 11, 1), members.b[0], leaver)  # the leaver talked in the new branch: it happened
    assert figures(result(tree.branch_a, "talks")) == (7, 7, 1.0, rules.MET, ())  # issue 11: on 31 December


def test_member_review_needs_a_grade_for_every_member(tree, members, figures):
    for member in members.a[:6]:
        review(member, tree.branch_a)
    review(members.a[6], tree.branch_a, year=2024)  # last year's grade does not count
    r = result(tree.branch_a, "member_review")
    assert figures(r) == (7, 6, round(6 / 7, 4), rules.PARTLY_MET, ("2025",))
    assert r.gaps[0].text == "1名党员未评议" and r.gaps[0].link.endswith("/reviews/EA-B1/2025/")


# ---------------------------------------------------------------- 按期换届


def test_a_term_in_force_is_on_time(tree, members, figures):
    assert figures(result(tree.branch_a, "term_on_time")) == (1, 1, 1.0, rules.MET, ())


def test_an_organization_without_a_term_is_not_on_time(tree, members, figures):
    r = result(tree.branch_c, "term_on_time")
    assert figures(r) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert r.gaps[0].text == "未录入委员会届次" and r.gaps[0].link.endswith("/orgs/EB-B1/")


def test_an_expired_term_is_overdue_unless_an_extension_was_approved(tree, members, figures):
    term = start_term(
        organization=tree.branch_c,
        started_on=D(2022, 3, 1),
        positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
        has_committee=False,
    )  # 3 years: expired 2025-03-01
    r = result(tree.branch_c, "term_on_time")
    assert figures(r) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert r.gaps[0].text == "届满(2025-03-01)未换届" and r.gaps[0].link.endswith(f"/terms/{term.pk}/")
    # Judged on as_of within the year: in February the term had not expired yet.
    assert result(tree.branch_c, "term_on_time", as_of=D(2025, 2, 1)).done == 1
    services.term_extend(term=term, months=12, approved_on=D(2025, 2, 1))
    assert figures(result(tree.branch_c, "term_on_time")) == (1, 1, 1.0, rules.MET, ())
    assert CommitteeTerm.objects.get(pk=term.pk).expires_on == D(2026, 3, 1)


def test_term_on_time_applies_to_committees_and_branches(tree, members):
    for organization in (tree.root, tree.committee_a, tree.branch_b):
        assert result(organization, "term_on_time") is not None


# ---------------------------------------------------------------- 党费


def test_dues_count_member_months(tree, members, figures):
    for member in members.b:
        for day in MONTHS:
            if not (member == members.b[2] and day.month == 5):
                pay(member, tree.branch_b, day.replace(day=1))
    r = result(tree.branch_b, "dues")
    assert figures(r) == (36, 35, round(35 / 36, 4), rules.PARTLY_MET, ("2025-05",))
    assert r.gaps[0].text == "1名党员未交党费" and r.gaps[0].link.endswith("/dues/EA-B2/2025-05/")


def test_a_row_without_an_amount_paid_is_not_paid(tree, members):
    for member in members.b:
        pay(member, tree.branch_b, D(2025, 1, 1), amount="0")
    january = next(p for p in result(tree.branch_b, "dues").periods if p.label == "2025-01")
    assert (january.required, january.done) == (3, 0)


def test_a_probationary_member_owes_dues_from_the_month_they_joined(tree, members):
    make_member(tree.branch_b, category="probationary", joined_on=D(2025, 7, 10))
    r = result(tree.branch_b, "dues")
    assert r.required == 36 + 6  # July to December
    july = next(p for p in r.periods if p.label == "2025-07")
    assert july.required == 4


def test_dues_follow_the_member_who_transferred(tree, members):
    mover = members.b[2]
    services.member_transfer(member=mover, to_organization=tree.branch_c, on=D(2025, 7, 1))
    b, c = result(tree.branch_b, "dues"), result(tree.branch_c, "dues")
    assert b.required == 3 * 6 + 2 * 6  # the mover owed branch B January to June
    assert c.required == 12 + 6
    pay(mover, tree.branch_c, D(2025, 8, 1))
    august = next(p for p in result(tree.branch_c, "dues").periods if p.label == "2025-08")
    assert (august.required, august.done) == (2, 1)
    assert next(p for p in result(tree.branch_b, "dues").periods if p.label == "2025-08").done == 0


def test_a_member_who_leaves_and_comes_back_within_a_month_owes_it_once(tree, members):
    mover = members.b[2]
    services.member_transfer(member=mover, to_organization=tree.branch_c, on=D(2025, 3, 10))
    services.member_transfer(member=mover, to_organization=tree.branch_b, on=D(2025, 3, 20))
    pay(mover, tree.branch_b, D(2025, 3, 1))

    def march(branch):
        found = next(p for p in result(branch, "dues").periods if p.label == "2025-03")
        return found.required, found.done

    assert march(tree.branch_b) == (3, 1)  # two memberships in March, one member-month
    # issue 11: March is owed where he belongs on 31 March (branch B), not also to branch C
    assert march(tree.branch_c)[0] == 1
    assert result(tree.branch_b, "dues").required == 36


# ---------------------------------------------------------------- periods: pending, as_of, establishment


def test_mid_year_only_the_ended_periods_are_required(tree, members, figures):
    held(tree.branch_a, K.THEME_DAY, D(2025, 2, 3))
    held(tree.branch_a, K.THEME_DAY, D(2025, 5, 3))  # May is the current month: shown, not counted
    as_of = D(2025, 5, 20)
    theme = result(tree.branch_a, "theme_day", as_of=as_of)
    # issue 11: May runs but is already done, so it counts (a running period not yet done stays pending)
    assert figures(theme) == (5, 2, 0.4, rules.NOT_MET, ("2025-01", "2025-03", "2025-04"))
    may = next(p for p in theme.periods if p.label == "2025-05")
    assert may.pending and (may.required, may.done) == (1, 1)
    assert len(theme.periods) == 12
    # Yearly items pend until the year ends; the current quarter pends too.
    for code in ("org_life", "talks", "member_review"):
        assert figures(result(tree.branch_a, code, as_of=as_of)) == (0, 0, None, rules.PENDING, ())
    three = result(tree.branch_a, "three_meetings_one_lesson", as_of=as_of)
    assert three.required == 4 + 4 + 1 + 1  # Jan-Apr 支委会 and 党小组会, Q1 党员大会 and 党课
    assert result(tree.branch_a, "dues", as_of=as_of).required == 7 * 4


def test_the_last_day_of_a_period_is_still_pending(tree, members):
    assert result(tree.branch_a, "theme_day", as_of=D(2025, 1, 31)).required == 0
    assert result(tree.branch_a, "theme_day", as_of=D(2025, 2, 1)).required == 1


def test_periods_before_the_branch_was_established_are_not_required(tree):
    branch = make_organization(tree.committee_a, "branch", established_on=D(2025, 5, 15))
    make_member(branch, joined_on=D(2010, 7, 1))
    # issue 11: owed only the periods it existed on the first day of: June to December, Q3-Q4
    assert result(branch, "theme_day").required == 7
    assert result(branch, "three_meetings_one_lesson").required == 2 + 2 + 1  # Q3-Q4, and the 书记's lecture
    assert result(branch, "dues").required == 7
    assert result(branch, "theme_day", year=2024).status == rules.PENDING


def test_a_future_year_is_all_pending(tree, members):
    assert {r.status for r in selectors.indicator_results(tree.branch_a, 2027, AFTER_2025)} == {rules.PENDING}


def test_default_as_of_is_today_in_shanghai(tree, members, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    from django.utils import timezone

    assert selectors.default_as_of() == timezone.localdate()
    assert selectors.indicator_results(tree.branch_a, 2025) == selectors.indicator_results(
        tree.branch_a, 2025, timezone.localdate()
    )


# ---------------------------------------------------------------- trend


def test_monthly_trend_sums_the_monthly_periods(tree, members):
    held(tree.branch_a, K.THEME_DAY, D(2025, 1, 3))
    results = [
        result(tree.branch_a, "theme_day", as_of=D(2025, 3, 5)),
        result(tree.branch_b, "theme_day", as_of=D(2025, 3, 5)),
    ]
    assert selectors.monthly_trend(results) == [("2025-01", 1, 2), ("2025-02", 0, 2)]
    assert isinstance(selectors.monthly_trend([]), list)


def test_results_come_in_the_order_of_the_indicator_set(tree, members):
    codes = [r.code for r in selectors.indicator_results(tree.branch_a, 2025, AFTER_2025)]
    assert codes == [
        "three_meetings_one_lesson",
        "theme_day",
        "org_life",
        "talks",
        "member_review",
        "term_on_time",
        "dues",
    ]
