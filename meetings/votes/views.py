"""The votes of a 党员大会, recorded from its page (the resolutions section of templates/meetings/meeting_detail.html)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..formflow import submit
from ..selectors import get_meeting_for_user
from . import services
from .forms import ResolutionForm


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
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#resolutions")
