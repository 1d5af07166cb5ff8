"""谈心谈话 rules: who may be named, coverage of the year's members, and the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches import services as branch_services
from meetings.models import Talk
from meetings.records.selectors import history_rows, talk_coverage, talk_coverage_table, talk_list
from meetings.records.services import talk_create, talk_delete, talk_update
from tests.factories import make_member

D = datetime.date


def talk(tree, initiator, participants, *, held_on=datetime.date(2025, 3, 10), user=None, summary="交流思想和工作情况"):
    return talk_create(
        organization=tree.branch_a,
        held_on=held_on,
        initiator=initiator,
        participants=participants,
        summary=summary,
        user=user,
    )


def test_a_committee_member_can_talk_with_several_members_in_one_record(tree, members, cast):
    record = talk(tree, members.a[0], members.a[3:6], user=cast.secretary)
    assert set(record.participants.all()) == set(members.a[3:6])
    assert record.created_by == cast.secretary
    assert record.history.first().history_user == cast.secretary


def test_talk_names_only_members_of_the_branch_on_that_day(tree, members):
    with pytest.raises(ValidationError, match="乙0在2025-03-10不是本支部党员"):
        talk(tree, members.a[0], [members.a[1], members.b[0]])
    with pytest.raises(ValidationError, match="谈话人乙1在2025-03-10不是本支部党员"):
        talk(tree, members.b[1], [members.a[1]])
    assert not Talk.objects.exists()


def test_a_member_transferred_out_can_be_named_for_talks_before_the_transfer_only(tree, members):
    moved = members.a[6]
    branch_services.member_transfer(member=moved, to_organization=tree.branch_b, on=D(2025, 6, 15))
    talk(tree, members.a[0], [moved], held_on=D(2025, 5, 1))
    with pytest.raises(ValidationError, match="不是本支部党员"):
        talk(tree, members.a[0], [moved], held_on=D(2025, 7, 1))


def test_talk_refuses_a_future_date_no_listener_self_talk_and_empty_summary(tree, members):
    with pytest.raises(ValidationError) as error:
        talk(tree, members.a[0], [members.a[0]], held_on=D(2999, 1, 1), summary="  ")
    text = "\n".join(error.value.messages)
    assert "谈话日期不能晚于今天" in text
    assert "谈话人不能同时是谈话对象" in text
    assert "请填写谈话内容摘要" in text
    with pytest.raises(ValidationError, match="请至少选择一名谈话对象"):
        talk(tree, members.a[0], [])


def test_talks_are_kept_by_branches_not_committees(tree, members):
    with pytest.raises(ValidationError, match="按党支部记录"):
        talk_create(
            organization=tree.committee_a,
            held_on=D(2025, 3, 1),
            initiator=members.a[0],
            participants=[members.a[1]],
            summary="x",
        )


def test_talk_update_changes_participants_and_the_history_shows_it(tree, members, cast):
    record = talk(tree, members.a[0], [members.a[1]], user=cast.secretary)
    talk_update(talk=record, participants=[members.a[2], members.a[3]], summary="补充记录", user=cast.committee)
    record.refresh_from_db()
    assert set(record.participants.all()) == {members.a[2], members.a[3]}
    rows = history_rows(record)
    assert rows[-1].action == "新建"
    changed = {}
    for row in rows:  # newest first: keep each field's latest change
        for label, old, new in row.changes:
            changed.setdefault(label, (old, new))
    assert changed["谈话内容摘要"] == ("交流思想和工作情况", "补充记录")
    assert changed["谈话对象"][1] == "甲2、甲3"
    assert any(row.who == "committee" for row in rows)


def test_talk_update_refuses_unknown_fields(tree, members):
    record = talk(tree, members.a[0], [members.a[1]])
    with pytest.raises(ValidationError, match="不能修改"):
        talk_update(talk=record, organization=tree.branch_b)


def test_deleted_talk_stays_in_the_history(tree, members, cast):
    record = talk(tree, members.a[0], [members.a[1]])
    pk = record.pk
    talk_delete(talk=record, user=cast.secretary)
    assert not Talk.objects.filter(pk=pk).exists()
    deleted = Talk.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == cast.secretary


def test_coverage_counts_members_who_belong_on_the_year_s_last_day(tree, members):
    moved = members.a[6]
    branch_services.member_transfer(member=moved, to_organization=tree.branch_b, on=D(2025, 6, 15))
    newcomer = make_member(tree.branch_a, name="新人", joined_on=D(2026, 3, 1))
    talk(tree, members.a[0], [members.a[1], members.a[2]])
    covered, required = talk_coverage(tree.branch_a, 2025)
    required_ids = {m.pk for m in required}
    # issue 11: owed by the branch the member belongs to on 31 December, so not by branch A any more
    assert moved.pk not in required_ids
    assert newcomer.pk not in required_ids  # joined the next year: does not
    assert len(required) == 6
    assert covered == {members.a[0].pk, members.a[1].pk, members.a[2].pk}
    table = talk_coverage_table(tree.branch_a, 2025)
    assert [row.covered for row in table] == [False] * 3 + [True] * 3


def test_coverage_of_a_year_ignores_talks_of_other_years(tree, members):
    talk(tree, members.a[0], [members.a[1]], held_on=D(2024, 12, 31))
    covered, _required = talk_coverage(tree.branch_a, 2025)
    assert covered == set()


def test_talk_list_searches_names_and_summary_without_repeating_rows(tree, members):
    talk(tree, members.a[0], [members.a[1], members.a[2]], summary="谈工作")
    talk(tree, members.a[3], [members.a[4]], summary="谈家庭困难")
    assert talk_list(organization=tree.branch_a, search="甲1").count() == 1
    assert talk_list(organization=tree.branch_a, search="困难").count() == 1
    assert talk_list(organization=tree.branch_a, search="甲").count() == 2
    assert talk_list(organization=tree.branch_a, year=2024).count() == 0
