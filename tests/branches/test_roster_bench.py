"""The import benchmark command runs end to end and leaves nothing behind."""

import io

from django.core.management import call_command

from branches.models import Member, Organization


def test_bench_import_prints_figures_and_rolls_back(db):
    out = io.StringIO()
    call_command("bench_import", rows=300, stdout=out)
    text = out.getvalue()
    for label in ("解析+校验", "写入", "行/秒", "内存峰值", "已回滚"):
        assert label in text
    assert not Member.objects.exists()
    assert not Organization.objects.exists()


def test_bench_import_can_trace_memory(db):
    out = io.StringIO()
    call_command("bench_import", rows=20, trace_memory=True, stdout=out)
    assert "tracemalloc" in out.getvalue()
