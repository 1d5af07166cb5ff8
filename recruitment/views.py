"""Pages of the path. Thin: check access (selectors.get_*_for_user → 404 / 403), call a selector or a service, render
or redirect. The secretary works on /recruitment/<branch>/ (people by stage, overdue first) and records a step on one
screen; the committee reads /recruitment/org/<code>/ (counts by stage, overdue, plan against admissions)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from branches.access import can_write, get_organization_for_user, grants
from branches.models import Organization

from . import documents, imports, rules, selectors, services
from .forms import DocumentForm, LeaveForm, PersonForm, PlanForm, StepForm, ThoughtReportForm, TransferForm
from .models import Stage, StepDocument


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _year(request, default: int) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1921 <= int(value) <= 2100 else default


@login_required
def index(request):
    """One role: straight to its branch or overview. Several: a list of them."""
    paths = sorted({path for path, _a, _k in grants(request.user)})
    organizations = list(Organization.objects.filter(path__in=paths).order_by("path")) if paths else []
    if "" in paths:
        organizations = list(Organization.objects.filter(depth=1).order_by("path"))
    if len(organizations) == 1:
        org = organizations[0]
        return redirect("recruitment:branch" if org.is_branch else "recruitment:overview", org.code)
    return render(request, "recruitment/index.html", {"organizations": organizations})


@login_required
def branch(request, code):
    branch = selectors.get_branch_for_user(request.user, code)
    today = timezone.localdate()
    stage = request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else ""
    search = request.GET.get("q", "").strip()
    rows = selectors.pipeline(branch=branch, today=today, stage=stage, search=search, current_only=not stage)
    context = {
        "organization": branch,
        "rows": rows,
        "today": today,
        "stage": stage,
        "stages": Stage.choices,
        "overdue": selectors.overdue_steps(branch=branch, today=today),
        "can_write": can_write(request.user, branch),
    }
    return render(request, "recruitment/branch.html", context)


@login_required
def overview(request, code):
    organization = get_organization_for_user(request.user, code)
    if organization.is_branch:
        return redirect("recruitment:branch", code)
    today = timezone.localdate()
    year = _year(request, today.year)
    rows = selectors.pipeline(organizations_q=selectors.subtree_q(organization), today=today)
    summaries = selectors.committee_summary(organization=organization, year=year, today=today, rows=rows)
    overdue = selectors.overdue_from(rows, today)[:50]
    context = {
        "organization": organization,
        "summaries": summaries,
        "overdue": overdue,
        "year": year,
        "stages": Stage.choices,
        "durations": selectors.stage_durations(rows, today),
        "may_plan": selectors.may_record_committee_step(request.user, organization),
    }
    return render(request, "recruitment/overview.html", context)


@login_required
def plan_set(request, code):
    organization = get_organization_for_user(request.user, code, write=True)
    if not selectors.may_record_committee_step(request.user, organization):
        raise PermissionDenied("发展计划由党委设定。")
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_set(organization=organization, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "发展计划已保存。")
            # A branch's plan is read on its committee's overview.
            code = organization.path[: -Organization.steplen] if organization.is_branch else organization.path
            return redirect("recruitment:overview", Organization.objects.get(path=code).code)
    context = {"organization": organization, "form": form, "title": "设定发展计划"}
    return render(request, "recruitment/plan_form.html", context)


@login_required
def person_new(request, code):
    branch = selectors.get_branch_for_user(request.user, code, write=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(branch=branch, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"已登记入党申请人{person.name}。")
            return redirect("recruitment:person_detail", person.pk)
    context = {"organization": branch, "form": form, "title": "登记入党申请人"}
    return render(request, "recruitment/person_form.html", context)


@login_required
def person_detail(request, pk):
    person = selectors.get_person_for_user(request.user, pk)
    path = selectors.path_of(person)
    steps = list(selectors.person_steps(person))
    reports = list(selectors.person_reports(person))
    context = {
        "person": person,
        "steps": steps,
        "materials": selectors.material_checklist(steps, reports),
        "filings": [(n, f"第{n}步 {f[0]}备案") for n, f in documents.FILINGS.items()],
        "next": [(d, rules.STEP_RULES[d.number]) for d in rules.next_steps(path, timezone.localdate())],
        "report_due": rules.report_due(path),
        "reports": reports,
        "transfers": person.transfers.select_related("from_branch", "to_branch"),
        "can_write": can_write(request.user, person.branch),
        "may_committee": selectors.may_record_committee_step(request.user, person.branch),
        "today": timezone.localdate(),
    }
    return render(request, "recruitment/person_detail.html", context)


@login_required
def step_new(request, pk):
    """Record a step on one screen: the next step is preselected, ?number= picks another available one."""
    person = selectors.get_person_for_user(request.user, pk, write=True)
    numbers = selectors.recordable_steps(request.user, person)
    if not numbers:
        messages.info(request, "当前没有您可以记录的步骤。")
        return redirect("recruitment:person_detail", person.pk)
    wanted = request.POST.get("number") or request.GET.get("number") or ""
    number = int(wanted) if wanted.isdigit() and int(wanted) in numbers else numbers[0]
    form = StepForm(request.POST or None, request.FILES or None, person=person, numbers=numbers, number=number)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["number"] == number:
        data = form.cleaned_data
        try:
            step = services.step_record_with_document(
                person=person,
                number=number,
                date=data["date"],
                file=data["file"],
                user=request.user,
                **form.step_data(),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"已记录第{number}步“{step.name}”。")
            return redirect("recruitment:person_detail", person.pk)
    name = selectors.step_label(person, number)
    context = {"person": person, "form": form, "number": number, "step_name": name, "numbers": numbers}
    return render(request, "recruitment/step_form.html", context)


@login_required
def report_new(request, pk):
    """思想汇报 (local practice): the quarter owed first is preselected."""
    person = selectors.get_person_for_user(request.user, pk, write=True)
    due = rules.report_due(selectors.path_of(person))
    form = ThoughtReportForm(request.POST or None, initial={"quarter": due.due_on if due else None})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.thought_report_record(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"已记录{report.quarter_name}的思想汇报。")
            return redirect("recruitment:person_detail", person.pk)
    context = {"person": person, "form": form, "title": "记录思想汇报"}
    return render(request, "recruitment/simple_form.html", context)


@login_required
def person_transfer(request, pk):
    person = selectors.get_person_for_user(request.user, pk, write=True)
    branches = selectors.writable_branches(request.user).exclude(pk=person.branch_id)
    form = TransferForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_transfer(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"{person.name}已转至{form.cleaned_data['to_branch'].name}。")
            return redirect("recruitment:person_detail", person.pk)
    return render(request, "recruitment/simple_form.html", {"person": person, "form": form, "title": "转接培养关系"})


@login_required
def person_leave(request, pk):
    person = selectors.get_person_for_user(request.user, pk, write=True)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_leave(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"{person.name}已退出发展党员流程,记录保留。")
            return redirect("recruitment:person_detail", person.pk)
    return render(request, "recruitment/simple_form.html", {"person": person, "form": form, "title": "退出发展流程"})


@login_required
@require_POST
def document_upload(request, pk):
    step = selectors.get_step_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError("请选择要上传的文件。")
        services.document_add(step=step, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, "材料已上传。")
    return redirect("recruitment:person_detail", step.person_id)


@login_required
def document_download(request, pk):
    document = StepDocument.objects.select_related("step__person__branch").filter(pk=pk).first()
    if document is None:
        raise Http404("没有找到该材料。")
    selectors.get_person_for_user(request.user, document.step.person_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name or "file")


# ---------------------------------------------------------------- documents, register, import

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def record_docx(request, pk):
    person = selectors.get_person_for_user(request.user, pk)
    steps, reports = selectors.person_steps(person), selectors.person_reports(person)
    content = documents.record_docx(person, steps, reports, today=timezone.localdate())
    return _file(content, DOCX, f"发展党员纪实表-{person.name}.docx")


@login_required
def publicity_docx(request, pk):
    person = selectors.get_person_for_user(request.user, pk)
    start, end = (parse_date(request.GET.get(k) or "") for k in ("start", "end"))
    steps = selectors.person_steps(person)
    content = documents.publicity_docx(person, steps, today=timezone.localdate(), start=start, end=end)
    return _file(content, DOCX, f"公示-{person.name}.docx")


@login_required
def filing_docx(request, pk):
    """备案报告 of step 4, 8 or 18 (?step=, default 4)."""
    person = selectors.get_person_for_user(request.user, pk)
    wanted = request.GET.get("step", "4")
    number = int(wanted) if wanted in ("4", "8", "18") else 4
    steps = selectors.person_steps(person)
    content = documents.filing_docx(person, steps, number=number, today=timezone.localdate())
    return _file(content, DOCX, f"备案报告-{rules.STEP_RULES[number].name}-{person.name}.docx")


@login_required
def register_export(request, code):
    branch = selectors.get_branch_for_user(request.user, code)
    content = documents.register_xlsx(selectors.register(branch=branch), today=timezone.localdate())
    return _file(content, XLSX, f"发展党员花名册-{branch.name}.xlsx")


@login_required
def import_template(request, code):
    selectors.get_branch_for_user(request.user, code, write=True)
    return _file(imports.template_xlsx(), XLSX, "发展党员导入模板.xlsx")


@login_required
def people_import(request, code):
    branch = selectors.get_branch_for_user(request.user, code, write=True)
    errors = []
    if request.method == "POST":
        try:
            if "file" not in request.FILES:
                raise ValidationError("请选择要导入的文件。")
            result = imports.people_import(
                branch=branch, file=request.FILES["file"], user=request.user, today=timezone.localdate()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            if not result.errors:
                messages.success(request, f"已导入{result.created}人。")
                return redirect("recruitment:branch", branch.code)
            errors = result.errors
    return render(request, "recruitment/import.html", {"organization": branch, "errors": errors})
