"""The 大屏 mode (issue 14 point 9): the SASAC overview and a committee dashboard as a full-screen, dark display for
a meeting-room screen, reloaded every few minutes by static/js/screen.js (the CSP forbids inline scripts; axe
flags a meta refresh, which the viewer cannot pause).

The same views' data and context functions build the figures, so the screen shows exactly what the dashboard shows
(tests/browser/test_screen.py compares them). Read-only, the same access as the dashboards.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches import access

from . import views
from .links import sasac_roots

REFRESH_SECONDS = 300  # the figures change with records, not by the second


@login_required
@require_GET
def sasac_screen(request):
    roots = sasac_roots(request.user)
    if not roots:
        raise PermissionDenied("国资委总览仅供国资委审阅人员查看,请从您所在组织的看板进入。")
    today = timezone.localdate()
    year = views._year(request, today)
    rows, enterprises, overdue = views.sasac_rows(roots, year)
    context = views._sasac_context(request, year, roots, rows, enterprises, overdue)
    title = "、".join(r.name for r in roots)
    back = f"{reverse('assessments:sasac_dashboard')}?year={year}"
    return _render(request, context, title=title, year=year, today=today, back=back, enterprises=enterprises)


@login_required
@require_GET
def committee_screen(request, code):
    organization = access.get_organization_for_user(request.user, code)
    if organization.kind in (organization.Kind.BRANCH, organization.Kind.GROUP):
        return redirect("assessments:committee_dashboard", code=organization.code)  # which opens the scorecard
    data = views._committee_data(request, organization)
    context = views._committee_context(request, organization, data)
    back = f"{reverse('assessments:committee_dashboard', args=[code])}?year={data['year']}"
    return _render(request, context, title=organization.name, year=data["year"], today=data["today"], back=back)


def _render(request, context, **extra):
    context.update(extra, refresh=REFRESH_SECONDS, refresh_minutes=REFRESH_SECONDS // 60, now=timezone.localtime())
    return render(request, "assessments/dashboards/screen.html", context)
