"""The indicator set is data: the 8 defaults from the migration, a year's own set, thresholds, the admin copy."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from assessments.indicators import rules, selectors, services
from assessments.models import Indicator
from tests.assessments.conftest import AFTER_2025, D, K, held, result

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_eight_defaults_of_domain_md(db):
    rows = list(Indicator.objects.defaults().order_by("order"))
    assert [r.code for r in rows] == [
        "three_meetings_one_lesson",
        "theme_day",
        "org_life",
        "democratic_life",
        "talks",
        "member_review",
        "term_on_time",
        "dues",
    ]
    assert rows[0].name == '严格落实"三会一课"' and rows[-1].name == "党费按月足额交纳"
    assert {r.met_threshold for r in rows} == {Decimal("1.00")} and {r.partly_threshold for r in rows} == {
        Decimal("0.80")
    }


def test_a_year_without_rows_uses_the_defaults_and_a_year_with_rows_uses_its_own(db):
    assert len(selectors.indicators_for(2025)) == 8
    created = services.indicator_copy_defaults(year=2026)
    assert len(created) == 8 and services.indicator_copy_defaults(year=2026) == []
    Indicator.objects.filter(year=2026, code="dues").update(active=False, name="党费")
    Indicator.objects.filter(year=2026, code="talks").update(name="谈心谈话全覆盖")
    codes = {r.code: r.name for r in selectors.indicators_for(2026)}
    assert "dues" not in codes and codes["talks"] == "谈心谈话全覆盖"
    assert len(selectors.indicators_for(2025)) == 8


def test_a_code_appears_once_per_year_and_once_in_the_defaults(db):
    with pytest.raises(IntegrityError):
        Indicator.objects.create(code="dues", name="x", rule="x", applies_to="branch")


def test_status_thresholds_100_met_80_partly_below_not_met(tree, members):
    # 12 months of 主题党日: 12 -> 达标, 10/12 (83%) -> 基本达标, 9/12 (75%) -> 未达标.
    for month in range(1, 10):
        held(tree.branch_a, K.THEME_DAY, D(2025, month, 3))
    assert result(tree.branch_a, "theme_day").status == rules.NOT_MET
    held(tree.branch_a, K.THEME_DAY, D(2025, 10, 3))
    assert result(tree.branch_a, "theme_day").status == rules.PARTLY_MET
    held(tree.branch_a, K.THEME_DAY, D(2025, 11, 3))
    held(tree.branch_a, K.THEME_DAY, D(2025, 12, 3))
    assert result(tree.branch_a, "theme_day").status == rules.MET


def test_exactly_80_percent_is_partly_met(tree, members):
    # Mid-year: 5 ended months, 4 held = exactly 80%.
    for month in (1, 2, 3, 4):
        held(tree.branch_a, K.THEME_DAY, D(2025, month, 3))
    r = result(tree.branch_a, "theme_day", as_of=D(2025, 6, 10))
    assert (r.done, r.required, r.status, r.status_label) == (4, 5, rules.PARTLY_MET, "基本达标")


def test_a_years_own_thresholds_and_names_are_used(tree, members):
    services.indicator_copy_defaults(year=2025)
    Indicator.objects.filter(year=2025, code="theme_day").update(
        name="主题党日活动", met_threshold=Decimal("0.90"), partly_threshold=Decimal("0.50")
    )
    for month in range(1, 12):
        held(tree.branch_a, K.THEME_DAY, D(2025, month, 3))
    r = result(tree.branch_a, "theme_day")
    assert (r.name, r.done, r.required, r.status) == ("主题党日活动", 11, 12, rules.MET)  # 91.7% >= 90%


def test_applies_to_is_per_indicator_row(tree, members):
    services.indicator_copy_defaults(year=2025)
    Indicator.objects.filter(year=2025, code="org_life").update(applies_to="with_term")
    codes = [r.code for r in selectors.indicator_results(tree.committee_a, 2025, AFTER_2025)]
    assert codes == ["org_life", "democratic_life", "term_on_time"]


def test_admin_copies_the_selected_defaults_to_a_year(client_for, tree):
    client = client_for("admin")
    assert client.get("/admin/assessments/indicator/").status_code == 200
    ids = list(Indicator.objects.defaults().values_list("pk", flat=True))
    response = client.post(
        "/admin/assessments/indicator/",
        {"action": "copy_to_year", "_selected_action": ids, "year": "2027", "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert Indicator.objects.filter(year=2027).count() == 8
    assert "已为2027年复制8项指标" in response.content.decode()


def test_admin_is_for_administrators_only(client_for, tree):
    assert client_for("sasac").get("/admin/assessments/indicator/").status_code == 302
