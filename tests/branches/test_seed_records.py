"""`seed_demo`'s year of records (demo/records.py, followups.py, payments.py): meetings of the applicable
kinds in every period, dated no later than today, with gaps where a branch is weak; talks, reviews and 党费 rows that
follow the rules; deterministic, and removed by --reset.

Seeded once for the module at scale 1 (the smallest: 286 branches) inside a transaction rolled back at the end.
"""

import datetime
import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from branches import dues
from branches.models import CommitteeTerm, DuesPayment, Member, Membership, Organization, Role
from demo import seed as demo
from demo.records import COMPLIANT, PARTIAL, WEAK, WEAK_ENTERPRISES
from meetings import plan
from meetings.models import AgendaItem, Attendance, Meeting, MemberReview, Talk
from meetings.services import KIND_ORGANIZATION_KINDS, quorum

TODAY = datetime.date(2026, 11, 21)
YEAR_START = datetime.date(2026, 1, 1)
K = Meeting.Kind
S = Meeting.Status
OK = Organization.Kind


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.seed_demo(scale=1, today=TODAY)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def summary(seeded_module, db):
    return seeded_module


@pytest.fixture
def results(summary):
    """Branch code -> (tier, obligations) from the same rules the indicators use (meetings.plan)."""
    out = {}
    for branch in Organization.objects.filter(kind=OK.BRANCH).select_related("enterprise").order_by("path"):
        out[branch.code] = (branch, plan.obligations(branch, TODAY.year, TODAY))
    return out


def missing(items) -> list:
    return [o for o in items if o.required and not o.done]


def records_digest() -> str:
    h = hashlib.sha256()
    for qs in (
        Meeting.objects.order_by("organization__code", "date", "kind", "group__code", "topic").values_list(
            "organization__code", "group__code", "kind", "status", "date", "topic", "host__id_number", "first_topic"
        ),
        Attendance.objects.values("meeting__kind").annotate(n=Count("id")).order_by("meeting__kind"),
        Talk.objects.order_by("organization__code", "held_on", "initiator__id_number").values_list(
            "organization__code", "held_on", "initiator__id_number"
        ),
        MemberReview.objects.order_by("member__id_number").values_list("member__id_number", "grade", "decided_on"),
        DuesPayment.objects.order_by("member__id_number", "month").values_list(
            "member__id_number", "month", "amount_due", "amount_paid", "paid_on"
        ),
    ):
        for row in qs:
            h.update(repr(row).encode())
    return h.hexdigest()


def test_every_branch_holds_only_the_kinds_that_apply_to_it(summary):
    with_committee = set(
        CommitteeTerm.objects.current().filter(has_committee=True).values_list("organization_id", flat=True)
    )
    kinds_of = defaultdict(set)
    for org_id, org_kind, kind, group_path, org_path in Meeting.objects.values_list(
        "organization_id", "organization__kind", "kind", "group__path", "organization__path"
    ):
        # 三会一课, 主题党日, 组织生活会 are a branch's; 民主生活会 a committee's (DOMAIN.md).
        assert org_kind in KIND_ORGANIZATION_KINDS[kind]
        kinds_of[org_id].add(kind)
        if kind == K.GROUP_MEETING:
            assert group_path.startswith(org_path) and len(group_path) == len(org_path) + Organization.steplen
        else:
            assert group_path is None
        if kind == K.BRANCH_COMMITTEE:
            assert org_id in with_committee  # 支部工作条例 第九条: no committee, no 支委会
    branches = Organization.objects.filter(kind=OK.BRANCH)
    assert all(kinds_of[b.pk] >= {K.THEME_DAY, K.BRANCH_ASSEMBLY, K.PARTY_LECTURE} for b in branches)
    assert all(K.GROUP_MEETING in kinds_of[b.pk] for b in branches.filter(numchild__gt=0))
    committees = Organization.objects.filter(kind=OK.COMMITTEE)
    held_life = Meeting.objects.held().filter(kind=K.DEMOCRATIC_LIFE).values("organization").distinct().count()
    assert 0.3 <= held_life / committees.count() <= 0.7  # ~50% by now


def test_no_held_meeting_is_dated_today_or_later_and_plans_exist_on_both_sides(summary):
    assert not Meeting.objects.held().filter(date__gte=TODAY).exists()
    assert not Meeting.objects.filter(date__lt=YEAR_START).exists()
    total = Meeting.objects.count()
    ahead = Meeting.objects.filter(status=S.PLANNED, date__gt=TODAY).count()
    assert 0.01 <= ahead / total <= 0.04  # ~2% planned for later
    past_plans = Meeting.objects.filter(status=S.PLANNED, date__lt=TODAY)
    assert 20 <= past_plans.count() <= 0.03 * total
    assert not past_plans.filter(held_at__isnull=False).exists()
    assert not past_plans.exclude(content="").exists()


def test_planned_but_not_held_meetings_never_fill_a_period(summary, results):
    # Every past plan sits in a period the branch missed: a plan is not a meeting (DOMAIN.md).
    for meeting in Meeting.objects.filter(status=S.PLANNED, date__lt=TODAY, organization__kind=OK.BRANCH)[:50]:
        _branch, items = results[meeting.organization.code]
        period = next(
            o
            for o in items
            if o.kind == meeting.kind
            and o.period.contains(meeting.date)
            and (o.group.pk if o.group else None) == meeting.group_id
        )
        assert not period.done


def test_held_meetings_carry_a_complete_record(summary):
    held = Meeting.objects.held().with_counts()
    assert held.filter(expected_count=0).count() == 0
    for meeting in held.select_related("host", "recorder", "lecturer").order_by("?")[:300]:
        assert meeting.topic and meeting.place and meeting.content and meeting.host and meeting.recorder
        assert meeting.start_time < meeting.end_time and meeting.held_at is not None
        assert meeting.first_topic_flag and meeting.first_topic.startswith("学习")
        first = meeting.agenda_items.order_by("order").first()
        assert first.is_first_topic and first.title == meeting.first_topic
        if meeting.kind == K.PARTY_LECTURE:
            assert meeting.lecturer_display
        q = quorum(meeting)
        assert q is None or q.ok or not meeting.resolutions
        meeting.full_clean()
    assert Meeting.objects.filter(status=S.ARCHIVED).count() > Meeting.objects.filter(status=S.HELD).count()
    assert not Meeting.objects.filter(status=S.ARCHIVED, archived_at__date__gte=TODAY).exists()
    assert AgendaItem.objects.filter(is_first_topic=True).count() == Meeting.objects.count()


def test_attendance_rolls_hold_the_members_of_the_day_with_reasons_for_absentees(summary):
    absent = Attendance.objects.filter(present=False)
    reasons = Counter(absent.values_list("absence_reason", flat=True))
    assert set(reasons) == {"leave", "official", "sick"}  # 请假/因公/病假
    assert 0.02 <= absent.count() / Attendance.objects.count() <= 0.12
    assert not absent.filter(note="").exists()
    # The roll of a branch-wide meeting is whoever belonged to the branch that day (组织关系 periods).
    for meeting in Meeting.objects.filter(kind=K.BRANCH_ASSEMBLY).order_by("?")[:40]:
        expected = set(
            Membership.objects.filter(organization=meeting.organization_id, started_on__lte=meeting.date)
            .exclude(ended_on__lte=meeting.date)
            .values_list("member_id", flat=True)
        )
        assert set(meeting.attendances.values_list("member_id", flat=True)) == expected
    for meeting in Meeting.objects.filter(kind=K.GROUP_MEETING).select_related("group")[:40]:
        assert set(meeting.attendances.values_list("member__group_id", flat=True)) == {meeting.group_id}


def test_tiers_give_seventy_percent_compliant_branches_and_red_ones_with_many_gaps(summary, results):
    counts = Counter()
    for code, (_branch, items) in results.items():
        gaps = missing(items)
        if code in summary["weak_branches"]:
            assert len(gaps) >= 6, code
            committee_gaps = [o for o in gaps if o.kind == K.BRANCH_COMMITTEE]
            owed = [o for o in items if o.kind == K.BRANCH_COMMITTEE and o.required]
            assert len(committee_gaps) >= min(4, len(owed)), code  # no 支委会 for 4+ months
            theme = [o for o in items if o.kind == K.THEME_DAY and o.required]
            assert sum(not o.done for o in theme) >= len(theme) // 2
        counts["full" if not gaps else "some" if len(gaps) <= 3 else "many"] += 1
    total = sum(counts.values())
    assert 0.62 <= counts["full"] / total <= 0.78
    assert 0.14 <= counts["some"] / total <= 0.28
    assert 0.05 <= counts["many"] / total <= 0.12
    assert summary["tiers"][WEAK] == len(summary["weak_branches"]) == counts["many"]
    assert summary["tiers"][COMPLIANT] == counts["full"] and summary["tiers"][PARTIAL] == counts["some"]


def test_two_enterprises_are_clearly_worse_than_the_others(summary, results):
    rates = defaultdict(list)
    for branch, items in results.values():
        done, required = plan.rate(items)
        if branch.enterprise:
            rates[branch.enterprise.name].append(done / required)
    average = sorted((sum(r) / len(r), name) for name, r in rates.items())
    worst = {name for _rate, name in average[:2]}
    assert all(any(w in name for w in WEAK_ENTERPRISES) for name in worst)
    assert average[1][0] + 0.03 < average[2][0]


def test_the_demo_secretary_branch_is_compliant_and_secretary2_has_a_gap(summary, results):
    secretary = Role.objects.get(user__username="secretary").organization
    secretary2 = Role.objects.get(user__username="secretary2").organization
    assert missing(results[secretary.code][1]) == []
    assert 1 <= len(missing(results[secretary2.code][1])) <= 3
    assert secretary.code not in summary["weak_branches"]


def test_most_secretaries_lecture_and_the_current_month_is_about_half_held(summary, results):
    lectured = [o.done for _b, items in results.values() for o in items if o.kind == plan.SECRETARY_LECTURE]
    assert 0.7 <= sum(lectured) / len(lectured) <= 0.95  # 支部工作条例 第十四条: 书记每年至少讲1次党课
    current = [o for _b, items in results.values() for o in items if o.period.label == "2026-11"]
    assert 0.35 <= sum(o.done for o in current) / len(current) <= 0.65


def test_talks_cover_most_members_and_reviews_follow_the_org_life_meeting(summary, results):
    coverage = defaultdict(lambda: [0, 0])
    for code, (_branch, items) in results.items():
        talk = next(o for o in items if o.kind == plan.TALK)
        tier = WEAK if code in summary["weak_branches"] else "other"
        coverage[tier][0] += talk.covered
        coverage[tier][1] += talk.total
    assert coverage["other"][0] / coverage["other"][1] >= 0.95
    assert 0.5 <= coverage[WEAK][0] / coverage[WEAK][1] <= 0.85
    assert not Talk.objects.filter(held_on__gte=TODAY).exists()
    # 民主评议 happens at the 组织生活会: ~40% of branches held one, and only their members have a grade.
    org_life = Meeting.objects.held().filter(kind=K.ORG_LIFE)
    assert 0.3 <= org_life.count() / Organization.objects.filter(kind=OK.BRANCH).count() <= 0.5
    reviews = MemberReview.objects.select_related("meeting")
    assert set(reviews.values_list("meeting_id", flat=True)) <= set(org_life.values_list("pk", flat=True))
    assert all(r.decided_on == r.meeting.date and r.organization_id == r.meeting.organization_id for r in reviews)
    grades = Counter(reviews.values_list("grade", flat=True))
    assert grades[MemberReview.Grade.QUALIFIED] > grades[MemberReview.Grade.EXCELLENT] > 0


def test_dues_rows_match_the_months_each_member_owed_with_amounts_from_the_rules(summary):
    current = dues.month_start(TODAY)
    rows = defaultdict(dict)
    for payment in DuesPayment.objects.select_related("member"):
        member = payment.member
        assert dues.is_month_due(member, payment.month) and YEAR_START <= payment.month <= current
        assert payment.amount_due == dues.dues_amount(member.dues_class, member.dues_base)
        assert payment.rate == dues.dues_rate(member.dues_class, member.dues_base)
        # issue 11: the demo's one partial payer (an exception seeded on purpose) pays half
        partial = member.pk == summary["exceptions"]["partial"]
        assert payment.amount_paid in (0, payment.amount_due) or (partial and payment.amount_paid < payment.amount_due)
        if payment.paid_on:
            assert payment.month <= payment.paid_on < TODAY
        rows[member.pk][payment.month] = payment
    elapsed = [datetime.date(2026, m, 1) for m in range(1, 11)]
    # A member of the same branch all year owes every elapsed month, from the month they joined the party.
    all_year = Membership.objects.filter(started_on__lt=YEAR_START, ended_on=None).select_related("member")
    for ms in all_year:
        owed = [m for m in elapsed if dues.is_month_due(ms.member, m)]
        assert sorted(m for m in rows[ms.member_id] if m < current) == owed, ms.member.name
        assert all(rows[ms.member_id][m].organization_id == ms.organization_id for m in owed)
    paid_now = sum(1 for r in rows.values() if current in r)
    assert 0.35 <= paid_now / Member.objects.in_good_standing().count() <= 0.6  # the current month is pending


def test_weak_branches_have_members_three_months_behind_and_compliant_ones_none(summary, results):
    weak = Organization.objects.filter(code__in=summary["weak_branches"])
    total = 0
    for branch in weak:
        arrears = dues.dues_arrears(branch, TODAY)
        assert 1 <= len(arrears) <= 5 and all(a.months >= 3 for a in arrears)  # a handful (fewer if tiny)
        total += len(arrears)
    assert total >= 2 * len(weak)
    secretary = Role.objects.get(user__username="secretary").organization
    assert dues.dues_arrears(secretary, TODAY) == []


def test_records_are_deterministic_printed_and_removed_by_purge_as_reset_does(summary):
    before = records_digest()
    counts = (Meeting.objects.count(), Attendance.objects.count(), DuesPayment.objects.count(), Talk.objects.count())
    demo.purge_demo()
    assert not any(m.objects.exists() for m in (Meeting, Attendance, AgendaItem, Talk, MemberReview, DuesPayment))
    out = StringIO()
    call_command("seed_demo", f"--today={TODAY}", "--no-recruitment", stdout=out)  # as the fixture seeded it
    output = out.getvalue()
    assert records_digest() == before
    assert (Meeting.objects.count(), Attendance.objects.count(), DuesPayment.objects.count(), Talk.objects.count()) == (
        counts
    )
    assert f"会议 {counts[0]} 次" in output and f"出席记录 {counts[1]} 条" in output
    assert f"党费记录 {counts[2]} 条" in output and "薄弱" in output
