"""The meeting pages: list, page, plan (form and one click), edit, delete, record, archive, amendments."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches.access import can_write, find_organization_for_user
from branches.models import Organization
from branches.views import audit_history
from common.http import safe_next

from .. import attendance, plan, selectors, services
from ..attendance import term_in_force
from ..formflow import submit
from ..forms import (
    AmendmentForm,
    AttachmentForm,
    MeetingEditForm,
    MeetingFilterForm,
    MeetingPlanForm,
    MeetingRecordForm,
)
from ..models import Attendance, Meeting
from ..quick_record import usual_recorder
from ..votes import selectors as vote_selectors
from ..votes.forms import ResolutionForm
from .common import _crumbs, _flash, _initial, _locked, _meeting_crumbs, _organization_param, _post

PAGE_SIZE = 20
_TIMESTAMP_LABELS = {str(Meeting._meta.get_field(f).verbose_name) for f in ("held_at", "archived_at", "created_at")}
_RECORDED = {False: "会议记录已保存。核对无误后请归档。", True: "会议记录已保存并归档;如需更正请添加更正说明。"}
_FILTERS = {"kind": "", "status": "", "date_from": None, "date_to": None, "q": ""}  # form field -> default


# ---------------------------------------------------------------- list and page


@login_required
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    under = find_organization_for_user(request.user, filters["org"]) if filters.get("org") else None
    found = {name: filters.get(name, default) for name, default in _FILTERS.items()}
    meetings = selectors.meeting_list(request.user, under=under, search=found.pop("q"), **found)
    organization = under or selectors.default_organization(request.user)
    context = {
        "form": form,
        "page_obj": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "under": under,
        "organization": organization,
        "can_plan": organization is not None and can_write(request.user, organization),
        "filtered": any(filters.values()),
        "breadcrumbs": _crumbs(("会议列表", "")),
    }
    return render(request, "meetings/meeting_list.html", context)


def _meeting_history(meeting):
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
    return _one_line_per_roll(history)


def _one_line_per_roll(history):
    """The roll written in one go (planning, 记录会议) is one line naming everyone, not a line per member."""
    merged = []
    for entry in history:
        last = merged[-1] if merged else None
        if (
            last is not None
            and entry.subject == last.subject == "出席"
            and (entry.action, entry.who) == (last.action, last.who)
            and abs((last.when - entry.when).total_seconds()) < 60
            and len(entry.changes) == len(last.changes) == 1
        ):
            change = last.changes[0]
            last.changes = [replace(change, new=f"{change.new}、{entry.changes[0].new}")]
        else:
            merged.append(entry)
    return merged


@login_required
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    context = {
        "meeting": meeting,
        **selectors.meeting_detail(meeting),
        "history": _meeting_history(meeting),
        "can_write": can_write(request.user, meeting.organization),
        "attachment_form": AttachmentForm(),
        "resolutions": vote_selectors.resolutions(meeting) if meeting.kind == Meeting.Kind.BRANCH_ASSEMBLY else None,
        "resolution_form": ResolutionForm(),
        "breadcrumbs": _crumbs((meeting.topic, "")),
    }
    return render(request, "meetings/meeting_detail.html", context)


# ---------------------------------------------------------------- plan, edit, delete


@login_required
def meeting_create(request):
    organization = _organization_param(request, write=True)
    initial = {"date": timezone.localdate()}
    initial.update({name: request.GET[name] for name in ("kind", "group", "date", "topic") if request.GET.get(name)})
    form = MeetingPlanForm(_post(request), organization=organization, initial=initial)
    done, meeting = submit(
        form, lambda data: services.meeting_plan(organization=organization, user=request.user, **data)
    )
    if done:
        messages.success(request, "会议已安排,参会名单已按会议日期生成。")
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    context = {"form": form, "organization": organization, "title": "安排会议"}
    return render(request, "meetings/meeting_form.html", {**context, "breadcrumbs": _crumbs(("安排会议", ""))})


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
    group_id = request.POST.get("group")
    group = Organization.objects.filter(pk=group_id, path__startswith=organization.path).first() if group_id else None
    date, topic = plan.default_date(period, timezone.localdate()), plan.suggest_topic(kind, period)
    try:
        meeting = services.meeting_plan(
            organization=organization, kind=kind, group=group, date=date, topic=topic, user=request.user
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
    done, _ = submit(form, lambda data: services.meeting_update(meeting=meeting, user=request.user, **data))
    if done:
        messages.success(request, "会议计划已保存。")
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": meeting, "organization": meeting.organization, "title": "编辑会议计划"}
    return render(request, "meetings/meeting_form.html", {**context, "breadcrumbs": _meeting_crumbs(meeting, "编辑")})


@login_required
@require_POST
def meeting_delete(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if _flash(request, lambda: services.meeting_delete(meeting=meeting, user=request.user), success="会议计划已删除。"):
        return redirect("meetings:meeting_list")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


# ---------------------------------------------------------------- record, archive, amend


def _record(meeting, user, form, archive: bool):
    """Hold a planned meeting, or edit a held one, with the attendance of the record form; on 保存并归档 archive it
    too, with the completeness check: a refusal leaves nothing written."""
    write = services.meeting_hold if meeting.is_planned else services.meeting_update

    def call(data):
        if not archive:  # one transaction already, in the service
            return write(meeting=meeting, user=user, absent=form.absent(), **data)
        with transaction.atomic():
            write(meeting=meeting, user=user, absent=form.absent(), **data)
            return services.meeting_archive(meeting=meeting, user=user, complete=True)

    return call


def _roll(meeting):
    """The roll of the record screen, each row with its vote (the page's script counts the voters live)."""
    rows = selectors.attendance_rows(meeting)
    rows.sort(key=lambda r: (r.member.name, r.member_id))
    for row in rows:
        row.voting = attendance.has_vote(row.member, meeting.date)
    return rows


def _record_initial(request, meeting) -> dict | None:
    """The stored values; a record without a 记录人 starts with the one who usually records (as on 记录会议)."""
    initial = _initial(request, meeting)
    if initial is not None and not initial.get("recorder"):
        initial["recorder"] = usual_recorder(meeting.organization, term_in_force(meeting.organization, meeting.date))
    return initial


@login_required
def meeting_record(request, pk):
    """会中有记录: one screen, roll filled, absentees pick a reason; holds a planned meeting or edits a held one."""
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if meeting.is_archived:
        return _locked(request, meeting)
    form = MeetingRecordForm(
        _post(request),
        organization=meeting.organization,
        kind=meeting.kind,
        rows=_roll(meeting),
        initial=_record_initial(request, meeting),
    )
    archive = request.POST.get("archive") == "1"
    done, _ = submit(form, _record(meeting, request.user, form, archive))
    if done:
        messages.success(request, _RECORDED[archive])
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    if archive:
        meeting.refresh_from_db()  # the refused write was rolled back: show the page as stored
    rule = attendance.QUORUM_RULES.get(meeting.kind)
    context = {
        "form": form,
        "meeting": meeting,
        "archive": archive,
        "quorum_rule": services.quorum(meeting),
        "quorum_data": rule.as_data() if rule else None,  # the thresholds and texts for static/js/meetings.js
        "breadcrumbs": _meeting_crumbs(meeting, "登记会议记录"),
    }
    return render(request, "meetings/meeting_record.html", context)


@login_required
@require_POST
def meeting_archive(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    _flash(
        request,
        lambda: services.meeting_archive(meeting=meeting, user=request.user, complete=True),
        success="会议记录已归档。归档后不能再编辑,如需更正请添加更正说明。",
        refused="还不能归档,请先补充:",
    )
    return redirect("meetings:meeting_detail", pk=meeting.pk)


def _amend(meeting, user):
    return lambda data: services.meeting_amend(meeting=meeting, user=user, **data)


@login_required
def meeting_amend(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if not meeting.is_archived:
        messages.info(request, "未归档的会议可以直接编辑。")
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    form = AmendmentForm(_post(request), roll=[row.member for row in selectors.attendance_rows(meeting)])
    done, _ = submit(form, _amend(meeting, request.user))
    if done:
        messages.success(request, "更正说明已添加,显示在会议记录下方。")
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": meeting, "breadcrumbs": _meeting_crumbs(meeting, "添加更正")}
    return render(request, "meetings/meeting_amend.html", context)
