"""Meeting pages: list, page, plan, one-screen record, archive, amendments, attachments, calendar, year plan.

Thin: each view checks access through branches.access / selectors.get_meeting_for_user (outsider 404, read-only
403, anonymous -> login), calls a selector or a service, then renders or redirects.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches.access import Access, check_organization, get_organization_for_user, organization_access
from branches.forms import add_service_errors
from branches.models import Organization
from branches.views import audit_history
from common.http import protected_file_response, safe_next

from . import plan, selectors, services
from .forms import (
    AmendmentForm,
    AttachmentForm,
    CalendarForm,
    MeetingEditForm,
    MeetingFilterForm,
    MeetingPlanForm,
    MeetingRecordForm,
    YearPlanForm,
    meeting_initial,
)
from .models import Attendance, Meeting, MeetingAttachment

PAGE_SIZE = 20
_TIMESTAMP_LABELS = {str(Meeting._meta.get_field(f).verbose_name) for f in ("held_at", "archived_at", "created_at")}
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _post(request):
    return request.POST if request.method == "POST" else None


def _can_write(user, organization) -> bool:
    return organization_access(user, organization) == Access.WRITE


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("会议", reverse("meetings:meeting_list")), *tail]


def _locked(request, meeting):
    """An archived record is never edited: say so (409) instead of showing a form."""
    return render(request, "meetings/locked.html", {"meeting": meeting}, status=409)


def _initial(request, meeting) -> dict | None:
    """A bound form (POST) shows what was posted: the stored values (one agenda query) are for GET only."""
    return None if request.method == "POST" else meeting_initial(meeting)


def _organization_param(request, *, write=False, default=True) -> Organization | None:
    code = (request.GET.get("org") or request.POST.get("org") or "").strip()
    if code:
        return get_organization_for_user(request.user, code, write=write)
    if not default:
        return None
    organization = selectors.default_organization(request.user)
    if organization is None:
        raise Http404("您还没有可以查看的组织。")
    return check_organization(request.user, organization, write=write)


# ---------------------------------------------------------------- list and page


@login_required
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    under = None
    if filters.get("org"):
        under = get_organization_for_user(request.user, filters["org"])
    meetings = selectors.meeting_list(
        request.user,
        under=under,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        search=filters.get("q", ""),
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    organization = under or selectors.default_organization(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page_obj": page,
            "under": under,
            "organization": organization,
            "can_plan": organization is not None and _can_write(request.user, organization),
            "filtered": any(filters.values()),
            "breadcrumbs": _crumbs(("会议列表", "")),
        },
    )


@login_required
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    detail = selectors.meeting_detail(meeting)
    history = audit_history(
        [
            ("会议", meeting.history.all(), ["kind", "date", "topic"]),
            ("出席", Attendance.history.filter(meeting_id=meeting.pk), ["member"]),
        ],
        show_id_number=False,
        limit=20,
    )
    for entry in history:  # the status change already says when it was held or archived
        entry.changes = [c for c in entry.changes if c.label not in _TIMESTAMP_LABELS]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            **detail,
            "history": history,
            "can_write": _can_write(request.user, meeting.organization),
            "attachment_form": AttachmentForm(),
            "breadcrumbs": _crumbs((meeting.topic, "")),
        },
    )


# ---------------------------------------------------------------- plan, edit, delete


@login_required
def meeting_create(request):
    organization = _organization_param(request, write=True)
    initial = {"date": timezone.localdate()}
    for name in ("kind", "group", "date", "topic"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = MeetingPlanForm(_post(request), organization=organization, initial=initial)
    if form.is_valid():
        fields = form.service_fields()
        try:
            meeting = services.meeting_plan(organization=organization, user=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "会议已安排,参会名单已按会议日期生成。")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "organization": organization,
            "title": "安排会议",
            "breadcrumbs": _crumbs(("安排会议", "")),
        },
    )


@login_required
@require_POST
def plan_quick(request):
    """One click from the to-do list: plan the owed meeting with defaults, then open it."""
    organization = _organization_param(request, write=True, default=False)
    if organization is None:
        raise Http404("没有指定组织。")
    period = plan.period_by_label(request.POST.get("period", ""))
    kind = request.POST.get("kind", "")
    if period is None or kind not in Meeting.Kind.values:
        messages.error(request, "安排的会议类型或期间无效。")
        return redirect("branches:home")
    group = None
    if request.POST.get("group"):
        group = Organization.objects.filter(pk=request.POST["group"], path__startswith=organization.path).first()
    try:
        meeting = services.meeting_plan(
            organization=organization,
            kind=kind,
            group=group,
            date=plan.default_date(period, timezone.localdate()),
            topic=plan.suggest_topic(kind, period),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect(safe_next(request, reverse("branches:home")))
    messages.success(request, "已安排,请补充时间、地点等信息;会后点击“登记召开”。")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
def meeting_edit(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if meeting.is_archived:
        return _locked(request, meeting)
    if meeting.is_held:
        return redirect("meetings:meeting_record", pk=meeting.pk)
    form = MeetingEditForm(
        _post(request), organization=meeting.organization, kind=meeting.kind, initial=_initial(request, meeting)
    )
    if form.is_valid():
        try:
            services.meeting_update(meeting=meeting, user=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "会议计划已保存。")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "organization": meeting.organization,
            "title": "编辑会议计划",
            "breadcrumbs": _crumbs(
                (meeting.topic, reverse("meetings:meeting_detail", args=[meeting.pk])), ("编辑", "")
            ),
        },
    )


@login_required
@require_POST
def meeting_delete(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    try:
        services.meeting_delete(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    messages.success(request, "会议计划已删除。")
    return redirect("meetings:meeting_list")


# ---------------------------------------------------------------- record, archive, amend


@login_required
def meeting_record(request, pk):
    """会中有记录: one screen, roll filled, absentees pick a reason; holds a planned meeting or edits a held one."""
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if meeting.is_archived:
        return _locked(request, meeting)
    rows = selectors.attendance_rows(meeting)
    rows.sort(key=lambda r: (r.member.name, r.member_id))
    form = MeetingRecordForm(
        _post(request),
        organization=meeting.organization,
        kind=meeting.kind,
        rows=rows,
        initial=_initial(request, meeting),
    )
    if form.is_valid():
        fields = form.service_fields()
        try:
            if meeting.is_planned:
                services.meeting_hold(meeting=meeting, user=request.user, absent=form.absent(), **fields)
            else:
                services.meeting_update(meeting=meeting, user=request.user, absent=form.absent(), **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "会议记录已保存。核对无误后请归档。")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_record.html",
        {
            "form": form,
            "meeting": meeting,
            "quorum_rule": services.quorum(meeting),
            "breadcrumbs": _crumbs(
                (meeting.topic, reverse("meetings:meeting_detail", args=[meeting.pk])), ("登记会议记录", "")
            ),
        },
    )


@login_required
@require_POST
def meeting_archive(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    try:
        services.meeting_archive(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, "会议记录已归档。归档后不能再编辑,如需更正请添加更正说明。")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
def meeting_amend(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if not meeting.is_archived:
        messages.info(request, "未归档的会议可以直接编辑。")
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    form = AmendmentForm(_post(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_amend(
                meeting=meeting, user=request.user, reason=data["reason"], changes={data["field"]: data["new_value"]}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "更正说明已添加,显示在会议记录下方。")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_amend.html",
        {
            "form": form,
            "meeting": meeting,
            "breadcrumbs": _crumbs(
                (meeting.topic, reverse("meetings:meeting_detail", args=[meeting.pk])), ("添加更正", "")
            ),
        },
    )


# ---------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_upload(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                meeting=meeting, file=form.cleaned_data["file"], kind=form.cleaned_data["kind"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
        else:
            messages.success(request, "附件已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


def _attachment(request, pk, *, write=False) -> MeetingAttachment:
    attachment = MeetingAttachment.objects.select_related("meeting__organization").filter(pk=pk).first()
    if attachment is None:
        raise Http404("没有找到该附件。")
    check_organization(request.user, attachment.meeting.organization, write=write)
    return attachment


@login_required
def attachment_download(request, pk):
    """Files are served through the access check, never straight from MEDIA_URL."""
    attachment = _attachment(request, pk)
    return protected_file_response(
        attachment.file.storage, attachment.file.name, filename=str(attachment), as_attachment=False
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _attachment(request, pk, write=True)
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, "附件已删除。")
    return redirect("meetings:meeting_detail", pk=attachment.meeting_id)


# ---------------------------------------------------------------- calendar and year plan


@login_required
def meeting_calendar(request):
    today = timezone.localdate()
    form = CalendarForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    organization = _organization_param(request, default=False)
    year, month = data.get("year") or today.year, data.get("month") or today.month
    start = datetime.date(year, month, 1)
    end = plan.periods(year, plan.MONTH)[month - 1].end
    meetings = selectors.calendar_meetings(request.user, organization=organization, start=start, end=end)
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(meeting.date, []).append(meeting)
    weeks = [[(day, by_day.get(day, [])) for day in week] for week in selectors.month_weeks(year, month)]
    previous = start - datetime.timedelta(days=1)
    following = end + datetime.timedelta(days=1)
    org_code = organization.code if organization else ""
    return render(
        request,
        "meetings/calendar.html",
        {
            "organization": organization,
            "org_code": org_code,
            "year": year,
            "month": month,
            "weeks": weeks,
            "weekdays": WEEKDAYS,
            "days": [(day, WEEKDAYS[day.weekday()], items) for day, items in sorted(by_day.items())],
            "today": today,
            "previous": previous,
            "following": following,
            "months": range(1, 13),
            "breadcrumbs": _crumbs(("日历", "")),
        },
    )


@login_required
def year_plan(request):
    today = timezone.localdate()
    form = YearPlanForm(request.GET)
    organization = _organization_param(request)
    year = form.year_or(today)
    items = plan.obligations(organization, year, today)
    return render(
        request,
        "meetings/year_plan.html",
        {
            "organization": organization,
            "year": year,
            "rows": _plan_rows(items),
            "months": range(1, 13),
            "can_write": _can_write(request.user, organization),
            "today": today,
            "breadcrumbs": _crumbs(("年度计划", "")),
        },
    )


def _plan_rows(items):
    """Rows of the year grid: one per (kind, group), each a list of cells with their column span (of 12 months)."""
    rows = {}
    for item in items:
        rows.setdefault((item.kind, item.group.pk if item.group else None), []).append(item)
    result = []
    for cells in rows.values():
        first = cells[0]
        span = 12 // len(plan.periods(first.period.start.year, _frequency(first.kind)))
        # Periods before the organization existed are not shown: pad them so later cells stay in their month.
        lead = (cells[0].period.start.month - 1) // span
        result.append({"label": first.label, "kind": first.kind, "span": span, "lead": lead * span, "cells": cells})
    return result


def _frequency(kind):
    return plan.frequency(kind) if kind in Meeting.Kind.values else plan.YEAR
