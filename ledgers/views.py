"""三本一表 pages. Thin: access, selector/service, render.

Access: a branch's workbook is for anyone who may read that branch (branches/access.py: outsiders 404). A bulk export
reads only, so read-only roles (SASAC reviewers) may start one too; the job and its file belong to the user who started
it, and anybody else gets 404 for them.
"""

import shutil
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches.access import get_organization_for_user
from branches.models import Organization
from common.http import protected_file_response

from . import jobs, selectors, services
from .forms import ExportForm
from .models import ExportJob
from .pdf import PdfError

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(value, default: int) -> int:
    try:
        return services.check_year(int(value) if value not in (None, "") else default)
    except (TypeError, ValueError, ValidationError) as exc:
        raise Http404("年度无效。") from exc


def _ledger_target(request, code: str, year: int | None) -> tuple[Organization, int] | HttpResponse:
    """(branch, year) whose ledger is asked for (anyone who may read the branch; outsiders 404), or, for a committee
    (no ledger of its own), a redirect to the export of its branches."""
    organization = get_organization_for_user(request.user, code)
    if organization.kind in (Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH):
        return redirect(f"{reverse('ledgers:export_new')}?org={organization.code}")
    if organization.kind != Organization.Kind.BRANCH:
        raise Http404("三本一表按党支部导出。")
    return organization, _year(year if year is not None else request.GET.get("year"), timezone.localdate().year)


@login_required
@require_GET
def branch_ledger(request, code: str, year: int | None = None):
    target = _ledger_target(request, code, year)
    if isinstance(target, HttpResponse):
        return target
    organization, year = target
    # Written to an anonymous temporary file (deleted when the response closes it), then streamed.
    out = tempfile.TemporaryFile()
    services.ledger_write(branch=organization, year=year, out=out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=services.ledger_filename(organization, year), content_type=XLSX
    )


@login_required
@require_GET
def branch_ledger_pdf(request, code: str, year: int | None = None):
    """The same workbook printed to PDF by LibreOffice (a few seconds, under the web server's timeout: see
    services.ledger_pdf_write); a page with the reason and the Excel link when it cannot be."""
    target = _ledger_target(request, code, year)
    if isinstance(target, HttpResponse):
        return target
    organization, year = target
    with tempfile.TemporaryDirectory(prefix="sbgf-ledger-") as directory:
        try:
            path = services.ledger_pdf_write(branch=organization, year=year, directory=directory)
        except PdfError as exc:
            context = {"message": str(exc), "organization": organization, "year": year}
            return render(request, "ledgers/pdf_failed.html", context, status=503)
        out = tempfile.TemporaryFile()
        with path.open("rb") as pdf_file:
            shutil.copyfileobj(pdf_file, out)
    out.seek(0)
    filename = services.ledger_filename(organization, year, "pdf")
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
def export_new(request):
    organizations = selectors.exportable_organizations(request.user)
    wanted = request.POST.get("organization") or request.GET.get("org")
    if wanted and wanted not in {o.code for o in organizations}:
        # Any readable organization may be exported (e.g. a branch picked from its page); outsiders get 404.
        organizations.append(get_organization_for_user(request.user, wanted))
    form = ExportForm(request.POST or None, organizations=organizations, initial={"organization": wanted})
    if request.method == "POST" and form.is_valid():
        organization = get_organization_for_user(request.user, form.cleaned_data["organization"])
        try:
            data = form.cleaned_data
            job = jobs.export_job_start(
                user=request.user, organization=organization, year=data["year"], with_pdf=data["with_pdf"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return redirect("ledgers:job_detail", pk=job.pk)
    return render(
        request,
        "ledgers/export_form.html",
        {
            "form": form,
            "has_organizations": bool(organizations),
            "breadcrumbs": [("我的导出", reverse("ledgers:job_list")), ("导出下级全部支部台账", "")],
        },
    )


@login_required
def job_list(request):
    filters = {
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", "") if request.GET.get("status") in ExportJob.Status.values else "",
        "year": request.GET.get("year", "").strip(),
    }
    year = int(filters["year"]) if filters["year"].isdigit() else None
    rows = selectors.export_job_list(request.user, search=filters["search"], status=filters["status"], year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # A secretary (only branches) downloads their own branch's workbook here; the bulk export is for those with
    # branches below them.
    organizations = selectors.exportable_organizations(request.user)
    bulk = any(o.kind != Organization.Kind.BRANCH for o in organizations)
    this_year = timezone.localdate().year
    return render(
        request,
        "ledgers/job_list.html",
        {
            "own_branches": [] if bulk else organizations,
            "years": [this_year, this_year - 1],
            "bulk": bulk,
            "page_obj": page,
            "filters": filters,
            "statuses": ExportJob.Status.choices,
            "filtered": any(filters.values()),
        },
    )


def _own_job(request, pk) -> ExportJob:
    job = selectors.get_job_for_user(request.user, pk)
    if job is None:
        raise Http404("没有找到该导出任务。")
    return job


def job_payload(job: ExportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done_count,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "error": job.error,
        "download_url": reverse("ledgers:job_download", args=[job.pk]) if job.status == ExportJob.Status.DONE else "",
    }


@login_required
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "ledgers/job_detail.html",
        {
            "job": job,
            "payload": job_payload(job),
            "config": {"statusUrl": reverse("ledgers:job_status", args=[job.pk]), "intervalMs": 1500},
            "retention_hours": jobs.retention_hours(),
            "breadcrumbs": [("我的导出", reverse("ledgers:job_list")), (f"{job.organization.name} {job.year}年", "")],
        },
    )


@login_required
@require_GET
def job_status(request, pk):
    """The progress bar polls this (static/js/ledger-export.js)."""
    return JsonResponse(job_payload(_own_job(request, pk)))


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file.name or not default_storage.exists(job.file.name):
        raise Http404("导出文件不存在或已过期清理,请重新导出。")
    return protected_file_response(
        default_storage, job.file.name, filename=job.download_name, content_type="application/zip"
    )
