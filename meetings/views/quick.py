"""记录会议: the one screen that records a held meeting (planned → held, and archived on 保存并归档), opened from the
home page's to-do list and the meetings list with the kind and period the branch owes next."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import attendance, services
from ..formflow import submit
from ..forms import MeetingQuickRecordForm
from ..quick_record import quick_record_setup
from .common import _crumbs, _organization_param, _post

_DONE = {True: "会议记录已保存并归档。", False: "会议记录已保存。核对无误后请归档。"}


def _record(setup, form, user, archive: bool):
    def call(data):
        return services.meeting_record_held(
            organization=setup.organization, kind=setup.kind, group=setup.group, user=user,
            absent=form.absent(), archive=archive, **data,
        )  # fmt: skip

    return call


@login_required
def meeting_quick_record(request):
    organization = _organization_param(request, write=True)
    params = request.POST if request.method == "POST" else request.GET
    choice = {name: params.get(name, "") for name in ("kind", "period", "group")}
    setup = quick_record_setup(organization, **choice, today=timezone.localdate())
    form = MeetingQuickRecordForm(_post(request), setup=setup)
    archive = request.POST.get("archive") == "1"
    done, meeting = submit(form, _record(setup, form, request.user, archive)) if setup.roll else (False, None)
    if done:
        messages.success(request, _DONE[archive])
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    rule = attendance.QUORUM_RULES.get(setup.kind)
    context = {"form": form, "setup": setup, "quorum_data": rule.as_data() if rule else None, "archive": archive}
    return render(request, "meetings/meeting_quick_record.html", {**context, "breadcrumbs": _crumbs(("记录会议", ""))})
