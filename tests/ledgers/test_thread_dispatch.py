"""The demo's bulk export (no Redis): the job runs in a background thread, the request returns at once and the
progress is polled as in production (LEDGER_EXPORT_DISPATCH = "thread", config/settings/local.py)."""

import time

import pytest
from django.urls import reverse

from ledgers.models import ExportJob

from .conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


def test_thread_dispatch_returns_at_once_and_finishes(tree, members, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LEDGER_EXPORT_DISPATCH = "thread"
    client = client_for("committee")
    response = client.post(reverse("ledgers:export_new"), {"organization": "EA", "year": YEAR})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledgers:job_detail", args=[job.pk])
    status_url = reverse("ledgers:job_status", args=[job.pk])
    deadline = time.monotonic() + 60
    while not client.get(status_url).json()["finished"] and time.monotonic() < deadline:
        time.sleep(0.2)
    payload = client.get(status_url).json()
    assert payload["status"] == "done" and payload["done"] == payload["total"] == 2
    assert client.get(payload["download_url"]).status_code == 200
