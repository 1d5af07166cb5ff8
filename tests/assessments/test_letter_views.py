"""Letter pages against the fixed cast: successes and refusals, forms that keep input, pinned query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.letters import services
from assessments.models import BranchClassification, Letter, LetterTemplate
from tests.factories import make_organization

from . import test_letter_helpers as helpers
from .test_letter_helpers import (
    STANDARD_ITEMS,
    final_with_score,
    issue,
    letter_to,
    make_template,
    manual_scores,
    to_self_assessed,
)

# Fixtures shared with the other letter tests (pytest finds them by their module-level names).
indicator_set = helpers.indicator_set
issued = helpers.issued

S = Letter.Status
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def test_anonymous_visitors_are_sent_to_login(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    for target in [
        url("letter_list"),
        url("letter_template_list"),
        url("letter_detail", letter.pk),
        url("letter_print", letter.pk),
        url("letter_ranking", "EA"),
    ]:
        response = client_for(None).get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], target


def test_outsiders_get_404_on_a_letter_they_cannot_see(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    client = client_for("secretary2")
    for name in ["letter_detail", "letter_print", "letter_self_assess", "letter_review"]:
        assert client.get(url(name, letter.pk)).status_code == 404, name
    assert client.post(url("letter_sign", letter.pk)).status_code == 404
    assert client.get(url("letter_ranking", "EA")).status_code == 404


def test_the_list_shows_each_user_only_the_letters_they_may_see(tree, issued, client_for):
    mine = client_for("secretary").get(url("letter_list"))
    assert mine.status_code == 200
    assert "甲集团第一党支部" in mine.content.decode() and "甲集团第二党支部" not in mine.content.decode()
    issued_by_me = client_for("committee").get(url("letter_list") + "?box=issued&year=2025")
    assert "甲集团第一党支部" in issued_by_me.content.decode() and "甲集团第二党支部" in issued_by_me.content.decode()
    everything = client_for("sasac").get(url("letter_list") + "?box=all&status=issued&q=第二")
    assert "甲集团第二党支部" in everything.content.decode() and "甲集团第一党支部" not in everything.content.decode()


def test_an_empty_list_says_what_to_do_next(tree, client_for):
    page = client_for("committee").get(url("letter_list")).content.decode()
    assert "empty-state" in page and "一键下达" in page


def test_list_query_count_does_not_grow_with_rows(tree, cast, client_for, django_assert_max_num_queries):
    issue(tree.committee_a)
    client = client_for("sasac")
    with django_assert_max_num_queries(8):
        assert client.get(url("letter_list") + "?box=all").status_code == 200
    issue(tree.root)
    issue(tree.committee_b, name="另一份") if False else None
    for n in range(6):
        make_organization(tree.committee_b, "branch", code=f"EB-X{n}")
    issue(tree.committee_b)
    assert Letter.objects.count() == 2 + 2 + 7
    with django_assert_max_num_queries(8):
        assert client.get(url("letter_list") + "?box=all").status_code == 200


def test_detail_query_count_is_fixed(tree, issued, client_for, django_assert_max_num_queries):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        assert client.get(url("letter_detail", letter.pk)).status_code == 200


def test_the_secretary_signs_and_self_assesses_their_branchs_letter(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    client = client_for("secretary")
    page = client.get(url("letter_detail", letter.pk)).content.decode()
    assert url("letter_sign", letter.pk) in page and url("letter_review", letter.pk) not in page
    assert client.post(url("letter_sign", letter.pk)).status_code == 302
    letter.refresh_from_db()
    assert letter.status == S.SIGNED
    item = letter.items.first()
    # a missing summary: the form comes back with what was typed
    response = client.post(url("letter_self_assess", letter.pk), {"summary": "", f"text_{item.pk}": "每月按时召开"})
    assert (
        response.status_code == 200
        and "每月按时召开" in response.content.decode()
        and "请填写自评总结" in response.content.decode()
    )
    response = client.post(
        url("letter_self_assess", letter.pk), {"summary": "全年总结", f"text_{item.pk}": "每月按时召开"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == S.SELF_ASSESSED


def test_read_only_and_issuer_side_users_cannot_sign(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    assert client_for("sasac").post(url("letter_sign", letter.pk)).status_code == 403
    # the committee issued it: it does not sign in the branch's place
    assert client_for("committee").post(url("letter_sign", letter.pk)).status_code == 403
    assert client_for("committee").get(url("letter_self_assess", letter.pk)).status_code == 403
    letter.refresh_from_db()
    assert letter.status == S.ISSUED


def test_the_committee_reviews_and_finalizes(tree, issued, client_for, django_assert_max_num_queries):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    client = client_for("committee")
    with django_assert_max_num_queries(40):
        page = client.get(url("letter_review", letter.pk))
    assert page.status_code == 200 and "自动得分" in page.content.decode()
    assert url("scorecard", "EA-B1") in page.content.decode()
    data = {"review_comment": "较好", "innovation": ""}
    for pk, given in manual_scores(letter).items():
        data[f"score_{pk}"], data[f"comment_{pk}"] = str(given["score"]), given["comment"]
    first = next(iter(manual_scores(letter)))
    bad = {**data, f"comment_{first}": ""}
    response = client.post(url("letter_review", letter.pk), bad)
    assert response.status_code == 200 and "请填写评分说明" in response.content.decode()
    assert "较好" in response.content.decode()  # typed text kept
    assert client.post(url("letter_review", letter.pk), data).status_code == 302
    letter.refresh_from_db()
    assert letter.status == S.REVIEWED and letter.total_score is not None
    assert client.post(url("letter_finalize", letter.pk)).status_code == 302
    letter.refresh_from_db()
    assert letter.status == S.FINAL


def test_secretaries_and_sasac_cannot_review_or_finalize(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    to_self_assessed(letter)
    for name in ["secretary", "sasac"]:
        client = client_for(name)
        assert client.get(url("letter_review", letter.pk)).status_code == 403
        assert client.post(url("letter_finalize", letter.pk)).status_code == 403


def test_a_wrong_state_action_shows_the_reason(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    response = client_for("committee").post(url("letter_finalize", letter.pk), follow=True)
    assert "不能定档" in response.content.decode()


def test_the_committee_edits_a_template_and_issues_it_in_one_action(tree, client_for):
    client = client_for("committee")
    assert client.get(url("letter_template_create")).status_code == 200
    data = {
        "issuer": tree.committee_a.pk,
        "year": "2025",
        "name": "2025年度党建工作责任书",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-area": "组织生活",
        "items-0-content": "主题党日",
        "items-0-weight": "40",
        "items-0-indicator_code": "theme_day",
        "items-1-area": "组织建设",
        "items-1-content": "标准化建设",
        "items-1-weight": "60",
        "items-1-veto": "on",
    }
    response = client.post(url("letter_template_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    template = LetterTemplate.objects.get()
    assert [(i.weight, i.indicator_code, i.veto) for i in template.items.all()] == [
        (Decimal(40), "theme_day", False),
        (Decimal(60), "", True),
    ]
    page = client.get(url("letter_template_issue", template.pk)).content.decode()
    assert "甲集团第一党支部" in page and "2 个将收到责任书" in page
    response = client.post(url("letter_template_issue", template.pk), follow=True)
    assert "已向 2 个下级组织下达责任书" in response.content.decode()
    assert Letter.objects.filter(issuer=tree.committee_a, status=S.ISSUED).count() == 2


def test_a_template_off_100_is_saved_but_not_issued(tree, client_for):
    template = make_template(tree.committee_a, items=STANDARD_ITEMS[:2])
    response = client_for("committee").post(url("letter_template_issue", template.pk))
    assert response.status_code == 200 and "合计应为100分" in response.content.decode()
    assert not Letter.objects.exists()


def test_only_issuer_staff_edit_and_issue_templates(tree, client_for):
    template = make_template(tree.committee_a)
    assert client_for("sasac").get(url("letter_template_create")).status_code == 403
    assert client_for("secretary").get(url("letter_template_create")).status_code == 403
    assert client_for("sasac").get(url("letter_template_edit", template.pk)).status_code == 403
    assert client_for("sasac").post(url("letter_template_issue", template.pk)).status_code == 403
    assert client_for("secretary").post(url("letter_template_issue", template.pk)).status_code == 404
    assert not Letter.objects.exists()
    assert client_for("sasac").get(url("letter_template_list")).status_code == 200


def test_template_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    make_template(tree.committee_a)
    client = client_for("sasac")
    with django_assert_max_num_queries(8):
        client.get(url("letter_template_list"))
    for n in range(5):
        make_template(tree.committee_a, name=f"模板{n}")
    with django_assert_max_num_queries(8):
        assert client.get(url("letter_template_list")).status_code == 200


def test_the_recipient_committee_cascades_its_letter(tree, cast, client_for):
    letter = letter_to(issue(tree.root, user=cast.admin), tree.committee_a)
    client = client_for("committee")
    client.post(url("letter_sign", letter.pk))
    response = client.post(url("letter_cascade", letter.pk))
    template = LetterTemplate.objects.get(source_letter=letter)
    assert response.status_code == 302 and response["Location"] == url("letter_template_edit", template.pk)
    assert client_for("sasac").post(url("letter_cascade", letter.pk)).status_code == 403


def test_the_printable_letter_has_both_signature_blocks(tree, issued, client_for):
    letter = letter_to(issued, tree.branch_a)
    page = client_for("secretary").get(url("letter_print", letter.pk)).content.decode()
    assert "下达单位(盖章)" in page and "责任单位(盖章)" in page and "letter-print-page" in page
    assert "党建品牌创建" in page


def test_the_ranking_page_ranks_and_the_committee_classifies(tree, client_for, django_assert_max_num_queries):
    final_with_score(tree.committee_a, tree.branch_a, 95, innovation=True)
    final_with_score(tree.committee_a, tree.branch_b, 72)
    client = client_for("committee")
    with django_assert_max_num_queries(12):
        page = client.get(url("letter_ranking", "EA") + "?year=2025").content.decode()
    assert page.index("甲集团第一党支部") < page.index("甲集团第二党支部") and "★★★★★" in page
    response = client.post(
        url("letter_ranking", "EA") + "?year=2025",
        {f"level_{tree.branch_a.pk}": "advanced", f"level_{tree.branch_b.pk}": "lagging"},
    )
    assert response.status_code == 302
    assert dict(BranchClassification.objects.values_list("organization__code", "level")) == {
        "EA-B1": "advanced",
        "EA-B2": "lagging",
    }
    assert client_for("sasac").get(url("letter_ranking", "EA") + "?year=2025").status_code == 200
    assert client_for("sasac").post(url("letter_ranking", "EA") + "?year=2025", {}).status_code == 403
    assert client_for("secretary").get(url("letter_ranking", "EA-B1")).status_code == 403


def test_the_ranking_page_without_final_letters_says_so(tree, client_for):
    page = client_for("committee").get(url("letter_ranking", "EA") + "?year=2025").content.decode()
    assert "empty-state" in page and "还没有定档" in page
    assert services  # module used by helpers


def test_the_printed_grade_rule_comes_from_the_grading_rule(tree, issued, client_for, settings):
    letter = letter_to(issued, tree.branch_a)
    client = client_for("secretary")
    page = client.get(url("letter_print", letter.pk)).content.decode()
    assert "90分及以上为优秀,76—89分为达标,75分及以下为不达标" in page
    settings.LETTER_GRADE_THRESHOLDS = {"excellent": 85, "passed": 60}
    page = client.get(url("letter_print", letter.pk)).content.decode()
    assert "85分及以上为优秀,60—84分为达标,59分及以下为不达标" in page
