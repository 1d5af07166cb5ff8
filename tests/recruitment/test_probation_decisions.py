"""党章 第七条 / 细则 第三十三、三十四条: the 支部大会's decision on a 预备党员 (转正, 延长预备期, 取消预备党员资格) is in
force only once the superior committee approves it (step 24, within three months), and step 24 is named by the
decision it approves. 细则 第十六、十七条 (local validity of one year): an expired 政治审查 is renewed, the latest counts."""

import datetime

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from recruitment import documents, rules, selectors, services
from recruitment.models import Step

from .conftest import WALK, held_assembly

D = datetime.date
pytestmark = pytest.mark.django_db
EXTEND = {"votes_for": 7, "outcome": "extend", "extension_months": 6}


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return " ".join(info.value.messages)


def record(person, number, day, **data):
    return services.step_record(person=person, number=number, date=day, **data)


def path(person):
    return selectors.path_of(person)


@pytest.fixture
def extended(recruit, tree):
    """A 预备党员 whose 支部大会 decided on 2025-05-10 to extend the 预备期 by six months (not yet approved)."""
    person = recruit.walk(recruit(), 22)
    record(person, 23, D(2025, 5, 10), meeting=held_assembly(tree.branch_a, D(2025, 5, 10)), **EXTEND)
    return person


def test_an_extension_is_not_in_force_before_the_superior_approves_it(extended, tree):
    p = path(extended)
    assert p.probation_ends() == D(2025, 5, 10)  # the 预备期 as admitted: the extension waits for step 24
    assert 24 in rules.available(p)
    assert 23 not in rules.available(p) and 25 not in rules.available(p)
    later = held_assembly(tree.branch_a, D(2025, 11, 10))
    message = refused(record, extended, 23, D(2025, 11, 10), meeting=later, votes_for=7, outcome="convert")
    assert "党章第七条" in message and "上级党委审批延长预备期" in message


def test_an_extension_is_in_force_from_its_approval(extended, tree):
    record(extended, 24, D(2025, 6, 1))
    p = path(extended)
    assert p.extension is not None and p.probation_ends() == D(2025, 11, 10)
    due = {d.number: d for d in rules.next_steps(p)}
    assert due[23].due_on == D(2025, 11, 10) and 24 not in due
    early = held_assembly(tree.branch_a, D(2025, 11, 9))
    assert "第三十三条" in refused(record, extended, 23, D(2025, 11, 9), meeting=early, votes_for=7, outcome="convert")
    on_time = held_assembly(tree.branch_a, D(2025, 11, 10))
    record(extended, 23, D(2025, 11, 10), meeting=on_time, votes_for=7, outcome="convert")
    assert {d.number: d for d in rules.next_steps(path(extended))}[24].name == "上级党委审批转正"
    record(extended, 24, D(2025, 12, 1))
    extended.refresh_from_db()
    assert extended.member.full_on == D(2025, 11, 10) and extended.stage == "full"


def test_the_approval_of_an_extension_is_due_within_three_months_to_the_day(extended):
    due = {d.number: d for d in rules.next_steps(path(extended))}
    assert due[24].due_on == D(2025, 8, 10) and due[24].name == "上级党委审批延长预备期"
    message = refused(record, extended, 24, D(2025, 8, 11))
    assert "第三十四条" in message and "党章第七条" in message and "2025-08-10" in message
    assert record(extended, 24, D(2025, 8, 10)).outcome == "extend"


def test_a_late_approval_of_an_extension_is_recorded_with_its_reason(extended):
    step = record(extended, 24, D(2025, 8, 11), late_reason="党委会议延期")
    assert step.name == "上级党委审批延长预备期"
    assert path(extended).probation_ends() == D(2025, 11, 10)


def test_the_probation_is_extended_only_once_even_after_the_approval(extended, tree):
    record(extended, 24, D(2025, 6, 1))
    later = held_assembly(tree.branch_a, D(2025, 11, 10))
    assert "只能延长一次" in refused(record, extended, 23, D(2025, 11, 10), meeting=later, **EXTEND)


def test_step_24_is_named_by_the_decision_it_approves(extended, recruit, tree, cast):
    record(extended, 24, D(2025, 6, 1))
    cancelled = recruit.walk(recruit(name="李取消"), 22)
    record(
        cancelled,
        23,
        D(2025, 5, 10),
        meeting=held_assembly(tree.branch_a, D(2025, 5, 10)),
        votes_for=7,
        outcome="cancel",
    )
    record(cancelled, 24, D(2025, 6, 1))
    converted = recruit.walk(recruit(name="王转正"), 24)
    names = {s.person.name: s.name for s in Step.objects.filter(number=24).select_related("person")}
    assert names == {
        "张申请": "上级党委审批延长预备期",
        "李取消": "上级党委审批取消预备党员资格",
        "王转正": "上级党委审批转正",
    }
    # The API, the person's page, the 纪实表 and the register show the same names.
    client = APIClient()
    client.force_authenticate(cast.secretary)
    api = client.get(f"/api/v1/recruitment/steps/?person={extended.pk}&number=24").json()["results"]
    assert [s["name"] for s in api] == ["上级党委审批延长预备期"]
    page = _client(cast.secretary).get(f"/recruitment/people/{extended.pk}/").content.decode()
    assert "上级党委审批延长预备期" in page and "上级党委审批转正" not in page
    docx = documents.record_docx(extended, selectors.person_steps(extended), today=D(2025, 7, 1))
    assert "上级党委审批延长预备期".encode() in _docx_text(docx)
    book = openpyxl.load_workbook(
        _bytes(documents.register_xlsx(selectors.register(branch=tree.branch_a), today=D(2025, 7, 1)))
    )
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]
    assert any("上级党委审批取消预备党员资格" in c for c in cells)
    assert any("上级党委审批延长预备期" in c for c in cells)
    assert converted.member.full_on == D(2025, 5, 10)


def test_an_expired_political_review_is_renewed_and_the_latest_counts(recruit, tree):
    person = recruit.walk(recruit(), 14)  # 政治审查 2024-03-20, valid to 2025-03-20
    assert 10 not in [d.number for d in rules.next_steps(path(person), D(2025, 3, 20))]
    assert 10 in [d.number for d in rules.next_steps(path(person), D(2025, 3, 21))]  # offered once expired
    late = held_assembly(tree.branch_a, D(2025, 3, 21))
    assembly = {"meeting": late, "votes_for": 7, "publicity_start": D(2025, 3, 10), "publicity_end": D(2025, 3, 14)}
    assert "有效期1年" in refused(record, person, 15, D(2025, 3, 21), **assembly)
    record(person, 10, D(2025, 3, 18), notes="重新政治审查,结论合格")
    assert path(person).last(10).date == D(2025, 3, 18)
    assert record(person, 15, D(2025, 3, 21), **assembly).number == 15
    assert 10 not in rules.available(path(person), D(2025, 3, 22))  # renewed only before the 支部大会


def test_a_renewed_political_review_cannot_predate_the_candidate(recruit):
    person = recruit.walk(recruit(), 14)
    assert "第十六条" in refused(record, person, 10, WALK[7][0] - datetime.timedelta(days=1))


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _bytes(content):
    import io

    return io.BytesIO(content)


def _docx_text(content) -> bytes:
    import zipfile

    return zipfile.ZipFile(_bytes(content)).read("word/document.xml")


def test_a_candidate_is_decided_with_the_opinions_heard_in_writing(recruit):
    person = recruit.walk(recruit(), 6)
    message = refused(record, person, 7, WALK[7][0])
    assert "第十三条" in message and "意见" in message
    assert record(person, 7, WALK[7][0], notes="党小组、培养联系人意见:同意").number == 7


def test_a_political_review_is_recorded_with_its_written_conclusion(recruit):
    person = recruit.walk(recruit(), 9)
    assert "第十六条" in refused(record, person, 10, WALK[10][0])
    assert "书面结论" in refused(record, person, 10, WALK[10][0], notes="  ")


def test_the_written_records_can_be_made_optional(recruit, settings):
    settings.RECRUITMENT_WRITTEN_RECORDS = False
    person = recruit.walk(recruit(), 6)
    assert record(person, 7, WALK[7][0]).number == 7
