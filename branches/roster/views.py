"""党员花名册 import pages: the template download and the upload form. The work is in the modules beside this one."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ..access import Access, grants
from ..views.common import submit
from .columns import COLUMNS, MAX_ERRORS_SHOWN
from .forms import XLSX_CONTENT_TYPE, RosterUploadForm
from .services import roster_import as roster_import_service
from .template import roster_template_workbook

TEMPLATE_FILE_NAME = "党员花名册导入模板.xlsx"
_DONE_KEY = "roster_import_done"


def _require_writer(user) -> None:
    # Importing creates members, so it is for roles that may write somewhere; reviewers (国资委) only read.
    if not any(access == Access.WRITE for _path, access, _kind in grants(user)):
        raise PermissionDenied("您的角色只能查看,不能导入花名册。")


def _url(request, name: str) -> str:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name)


def _member_list_url() -> str:
    try:
        return reverse("branches:member_list")
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def roster_index(request):
    return redirect(_url(request, "branches_roster_import"))


@login_required
@require_GET
def roster_template(request):
    _require_writer(request.user)
    response = HttpResponse(roster_template_workbook(user=request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_FILE_NAME)
    return response


def _page(request, form, result, done):
    errors = result.errors if result else []
    return render(
        request,
        "branches/roster_import.html",
        {
            "form": form,
            "result": result,
            "done": done,
            "shown_errors": errors[:MAX_ERRORS_SHOWN],
            "hidden_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "columns": COLUMNS,
            "template_url": _url(request, "branches_roster_template"),
            "member_list_url": _member_list_url(),
            "max_mib": settings.ROSTER_MAX_UPLOAD_BYTES // (1024 * 1024),
            "breadcrumbs": [("党员", _member_list_url()), ("导入花名册", "")],
        },
    )


def _import(file, user):
    """File-level problems (type, size, unreadable …) belong to the file field; row problems come back in the result."""
    try:
        return roster_import_service(file=file, user=user)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


@login_required
def roster_import(request):
    _require_writer(request.user)
    if request.method != "POST":
        # Post/redirect/get: the success panel survives a reload without importing the file twice.
        done = request.session.pop(_DONE_KEY, None) if request.method == "GET" else None
        return _page(request, RosterUploadForm(), None, done)
    form = RosterUploadForm(request.POST, request.FILES)
    result = submit(form, lambda data: _import(data["file"], request.user))
    if result is not None and result.ok:
        request.session[_DONE_KEY] = {
            "imported": result.imported,
            "file_name": result.file_name,
            "warnings": [f"第{w.row}行 {w.message}" for w in result.warnings],
        }
        return redirect(_url(request, "branches_roster_import"))
    return _page(request, form, result, None)
