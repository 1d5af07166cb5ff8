"""The month calendar of meetings and the year plan (the rules' periods as a grid)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from branches.access import can_write

from .. import plan, selectors
from ..forms import CalendarForm, YearPlanForm
from ..models import Meeting
from .common import _crumbs, _organization_param

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _month(year: int, month: int, by_day: dict) -> dict:
    """The calendar's month: its weeks with each day's meetings, and the neighbouring months."""
    start = datetime.date(year, month, 1)
    end = plan.periods(year, plan.MONTH)[month - 1].end
    return {
        "year": year,
        "month": month,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in selectors.month_weeks(year, month)],
        "weekdays": WEEKDAYS,
        "days": [(day, WEEKDAYS[day.weekday()], items) for day, items in sorted(by_day.items())],
        "previous": start - datetime.timedelta(days=1),
        "following": end + datetime.timedelta(days=1),
        "months": range(1, 13),
    }


@login_required
def meeting_calendar(request):
    today = timezone.localdate()
    form = CalendarForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    organization = _organization_param(request, default=False)
    year, month = data.get("year") or today.year, data.get("month") or today.month
    start, end = datetime.date(year, month, 1), plan.periods(year, plan.MONTH)[month - 1].end
    meetings = selectors.calendar_meetings(request.user, organization=organization, start=start, end=end)
    # A committee or SASAC sees per day how many meetings of each kind were held (branches named on demand).
    summary = selectors.calendar_is_summary(request.user, organization)
    by_day = selectors.calendar_day_counts(meetings) if summary else {}
    if not summary:
        for meeting in meetings:
            by_day.setdefault(meeting.date, []).append(meeting)
    context = {
        "organization": organization,
        "org_code": organization.code if organization else "",
        **_month(year, month, by_day),
        "summary": summary,
        "subtrees": selectors.subtree_choices(request.user) if summary else [],
        "month_held": sum(m.status != Meeting.Status.PLANNED for m in meetings),
        "today": today,
        "breadcrumbs": _crumbs(("日历", "")),
    }
    return render(request, "meetings/calendar.html", context)


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
            "can_write": can_write(request.user, organization),
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
