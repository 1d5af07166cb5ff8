"""The download on the branch page, the bulk export form, the job page and "我的导出", against the fixed cast."""

import io
import socket
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ledgers.models import ExportJob

from .conftest import YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def ledger_url(code, year=YEAR):
    return reverse("ledgers:branch_ledger", args=[code, year])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------- one branch's workbook


@pytest.mark.parametrize("who", ["secretary", "committee", "sasac", "admin"])
def test_whoever_may_read_the_branch_downloads_its_workbook(records, client_for, who):
    response = client_for(who).get(ledger_url("EA-B1"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames[:4] == ["党员花名册", "会议记录本", "学习记录本", "党费收缴登记本"]


def test_anonymous_visitor_is_sent_to_login(tree, client_for):
    response = client_for(None).get(ledger_url("EA-B1"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("who", "code"), [("secretary2", "EA-B1"), ("secretary", "EA-B2"), ("committee", "EB-B1")])
def test_outsiders_get_404_for_another_branch(tree, client_for, who, code):
    assert client_for(who).get(ledger_url(code)).status_code == 404


def test_year_may_be_given_as_a_parameter_and_defaults_to_this_year(records, client_for):
    client = client_for("secretary")
    url = reverse("ledgers:branch_ledger_current", args=["EA-B1"])
    response = client.get(url, {"year": YEAR})
    assert response.status_code == 200 and f"{YEAR}" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(body(client.get(url))))
    assert book["党员花名册"]["A1"].value.endswith(f"{timezone.localdate().year}年 党员花名册")
    assert client.get(url, {"year": "abc"}).status_code == 404
    assert client.get(ledger_url("EA-B1", timezone.localdate().year + 1)).status_code == 404


def test_a_committee_code_leads_to_the_bulk_export_and_a_group_has_no_ledger(tree, client_for):
    client = client_for("committee")
    response = client.get(ledger_url("EA"))
    assert response.status_code == 302 and response["Location"] == reverse("ledgers:export_new") + "?org=EA"
    assert client.get(ledger_url("EA-B1-G1")).status_code == 404


def test_download_query_count_does_not_grow_with_records(records, tree, client_for, django_assert_max_num_queries):
    from tests.factories import make_member

    client = client_for("secretary")
    with django_assert_max_num_queries(22):
        body(client.get(ledger_url("EA-B1")))
    for i in range(10):
        make_member(tree.branch_a, name=f"新党员{i}")
    with django_assert_max_num_queries(22):
        body(client.get(ledger_url("EA-B1")))


# ---------------------------------------------------------------- bulk export


def test_committee_starts_a_bulk_export_and_downloads_the_zip(records, client_for, cast):
    client = client_for("committee")
    form = client.get(reverse("ledgers:export_new"), {"org": "EA"})
    assert form.status_code == 200 and "导出下级全部支部台账" in form.content.decode()
    response = client.post(reverse("ledgers:export_new"), {"organization": "EA", "year": YEAR})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledgers:job_detail", args=[job.pk])
    assert job.user == cast.committee and job.status == ExportJob.Status.DONE  # eager in tests

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="ledger-export-config"' in html and "ledger-export.js" in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script (CSP)
    status = client.get(reverse("ledgers:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["done"] == status["total"] == 2 and status["percent"] == 100
    assert status["download_url"] == reverse("ledgers:job_download", args=[job.pk])

    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(body(download))) as archive:
        assert len(archive.namelist()) == 2


def test_sasac_reviewer_may_export_read_only_data(records, client_for):
    response = client_for("sasac").post(reverse("ledgers:export_new"), {"organization": "ROOT", "year": YEAR})
    assert response.status_code == 302
    assert ExportJob.objects.get().total == 3


def test_secretary_exports_only_their_own_branch(tree, client_for):
    client = client_for("secretary")
    form = client.get(reverse("ledgers:export_new")).context["form"]
    assert [code for code, _label in form.fields["organization"].choices] == ["EA-B1"]
    assert client.post(reverse("ledgers:export_new"), {"organization": "EA", "year": YEAR}).status_code == 404
    assert client.get(reverse("ledgers:export_new"), {"org": "EB"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_export_form_refuses_a_future_year(tree, client_for):
    response = client_for("committee").post(
        reverse("ledgers:export_new"), {"organization": "EA", "year": timezone.localdate().year + 1}
    )
    assert response.status_code == 200 and "尚未开始" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_export_pages_send_anonymous_visitors_to_login(records, cast, tree):
    from django.test import Client

    job = ExportJob.objects.create(user=cast.secretary, organization=tree.branch_a, year=YEAR)
    client = Client()
    for url in [
        reverse("ledgers:export_new"), reverse("ledgers:job_list"), reverse("ledgers:job_detail", args=[job.pk]),
        reverse("ledgers:job_status", args=[job.pk]), reverse("ledgers:job_download", args=[job.pk]),
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_only_the_owner_sees_or_downloads_a_job(records, client_for, cast):
    client_for("secretary").post(reverse("ledgers:export_new"), {"organization": "EA-B1", "year": YEAR})
    job = ExportJob.objects.get(user=cast.secretary)
    assert job.status == ExportJob.Status.DONE
    assert client_for("secretary").get(reverse("ledgers:job_download", args=[job.pk])).status_code == 200
    for who in ("secretary2", "committee", "sasac"):
        client = client_for(who)
        for name in ("job_detail", "job_status", "job_download"):
            assert client.get(reverse(f"ledgers:{name}", args=[job.pk])).status_code == 404, (who, name)
        assert job.organization.name not in client.get(reverse("ledgers:job_list")).content.decode()


def test_a_failed_job_shows_its_error(tree, client_for, cast):
    job = ExportJob.objects.create(
        user=cast.committee, organization=tree.committee_a, year=YEAR, status="failed", error="导出失败:磁盘已满"
    )
    client = client_for("committee")
    html = client.get(reverse("ledgers:job_detail", args=[job.pk])).content.decode()
    assert "导出失败:磁盘已满" in html and "重新导出" in html
    assert client.get(reverse("ledgers:job_status", args=[job.pk])).json()["error"] == "导出失败:磁盘已满"
    assert client.get(reverse("ledgers:job_download", args=[job.pk])).status_code == 404


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down(settings):
    """Eager off and the broker on a closed loopback port, for real (no mock)."""
    from config.celery_app import app

    # Read the app's configuration first: it loads lazily from the Django settings, and must not capture the override.
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    app.conf.update(broker_url=url, task_always_eager=False)
    yield url
    app.conf.update(saved)


def test_with_the_broker_down_the_export_says_so_quickly_and_the_app_keeps_serving(tree, client_for, broker_down):
    import time

    client = client_for("committee")
    started = time.monotonic()
    response = client.post(reverse("ledgers:export_new"), {"organization": "EA", "year": YEAR})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "任务队列暂不可用,请稍后再试或联系管理员" in response.content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and job.error == "任务队列暂不可用,请稍后再试或联系管理员"
    assert client.get(reverse("ledgers:job_list")).status_code == 200
    assert client.get(reverse("branches:home")).status_code == 200
    assert client.get(ledger_url("EA-B1")).status_code == 200


# ---------------------------------------------------------------- 我的导出


def make_jobs(cast, tree, n):
    statuses = ["done", "failed", "running", "queued", "expired"]
    ExportJob.objects.bulk_create(
        ExportJob(
            user=cast.committee, organization=tree.branch_a if i % 2 else tree.committee_a, year=2020 + i % 5,
            status=statuses[i % 5], total=2, done_count=1 if statuses[i % 5] == "running" else 0,
            error="出错" if statuses[i % 5] == "failed" else "",
        )
        for i in range(n)
    )  # fmt: skip


def test_my_exports_lists_searches_filters_and_paginates(tree, cast, client_for):
    make_jobs(cast, tree, 25)
    ExportJob.objects.create(user=cast.secretary2, organization=tree.branch_b, year=YEAR)  # someone else's
    client = client_for("committee")
    page = client.get(reverse("ledgers:job_list"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 25 and len(page.context["page_obj"].object_list) == 20
    assert client.get(reverse("ledgers:job_list"), {"page": 2}).context["page_obj"].object_list.__len__() == 5
    assert client.get(reverse("ledgers:job_list"), {"q": "第一党支部"}).context["page_obj"].paginator.count == 12
    assert client.get(reverse("ledgers:job_list"), {"q": "EA-B1"}).context["page_obj"].paginator.count == 12
    assert client.get(reverse("ledgers:job_list"), {"status": "failed"}).context["page_obj"].paginator.count == 5
    assert client.get(reverse("ledgers:job_list"), {"year": "2021"}).context["page_obj"].paginator.count == 5


def test_my_exports_empty_state_says_what_to_do(tree, client_for):
    html = client_for("committee").get(reverse("ledgers:job_list")).content.decode()
    assert "empty-state" in html and "您还没有导出过台账" in html
    html = client_for("committee").get(reverse("ledgers:job_list"), {"q": "不存在"}).content.decode()
    assert "没有符合条件的导出任务" in html


def test_my_exports_query_count_does_not_grow(tree, cast, client_for, django_assert_max_num_queries):
    client = client_for("committee")
    make_jobs(cast, tree, 3)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ledgers:job_list")).status_code == 200
    make_jobs(cast, tree, 40)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ledgers:job_list")).status_code == 200


def test_export_form_and_job_page_query_counts_are_fixed(tree, cast, client_for, django_assert_max_num_queries):
    client = client_for("sasac")
    job = ExportJob.objects.create(user=cast.sasac, organization=tree.root, year=YEAR, status="running", total=3)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ledgers:export_new")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ledgers:job_detail", args=[job.pk])).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("ledgers:job_status", args=[job.pk])).status_code == 200
