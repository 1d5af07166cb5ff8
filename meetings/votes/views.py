"""The votes of a 党员大会, recorded from its page: resolutions (the section of templates/meetings/meeting_detail.html)
and the election of a new committee (its own page, reached from the held meeting)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from branches.models import Member

from ..formflow import add_errors_on_top, submit
from ..selectors import get_meeting_for_user
from ..views.common import _crumbs, _post
from . import services
from .forms import CandidateFormSet, ElectionForm, ResolutionForm
from .selectors import voters


def _detail_url(meeting, anchor=""):
    return reverse("meetings:meeting_detail", args=[meeting.pk]) + anchor


@login_required
@require_POST
def resolution_create(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = ResolutionForm(request.POST)
    done, _resolution = submit(
        form, lambda data: services.resolution_record(meeting=meeting, user=request.user, **data)
    )
    if done:
        messages.success(request, "表决结果已登记。")
    else:
        for message in [m for errors in form.errors.values() for m in errors]:
            messages.error(request, message)
    return redirect(_detail_url(meeting, "#resolutions"))


@login_required
def election_record(request, pk):
    """The 党员大会 election: 应到/实到 are the meeting's attendance; the secretary enters seats and the votes."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    members = Member.objects.filter(organization=meeting.organization).in_good_standing().order_by("name", "pk")
    form = ElectionForm(_post(request))
    formset = CandidateFormSet(_post(request), prefix="cand", form_kwargs={"members": members})
    rows_ok = formset.is_bound and formset.is_valid()
    done, _election = submit(
        form,
        lambda data: services.election_record(
            meeting=meeting, candidates=formset.candidates() if rows_ok else _refuse(), user=request.user, **data
        ),
        add_errors=add_errors_on_top,
    )
    if done:
        messages.success(request, "选举结果已登记,换届程序记录已同步。")
        return redirect(_detail_url(meeting))
    context = {"meeting": meeting, "form": form, "formset": formset, "voters": voters(meeting)}
    crumbs = _crumbs((meeting.topic, _detail_url(meeting)), ("换届选举", ""))
    return render(request, "meetings/election_form.html", {**context, "breadcrumbs": crumbs})


def _refuse():
    raise ValidationError("请检查候选人一栏。")
