"""What the meeting pages share: access to the organization in the query string, breadcrumbs, the locked page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from branches.access import check_organization, find_organization_for_user
from branches.models import Organization

from .. import selectors
from ..forms import meeting_initial


def _post(request):
    return request.POST if request.method == "POST" else None


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("会议", reverse("meetings:meeting_list")), *tail]


def _meeting_crumbs(meeting, label: str):
    return _crumbs((meeting.topic, reverse("meetings:meeting_detail", args=[meeting.pk])), (label, ""))


def _locked(request, meeting):
    """An archived record is never edited: say so (409) instead of showing a form."""
    return render(request, "meetings/locked.html", {"meeting": meeting}, status=409)


def _initial(request, meeting) -> dict | None:
    """A bound form (POST) shows what was posted: the stored values (one agenda query) are for GET only."""
    return None if request.method == "POST" else meeting_initial(meeting)


def _organization_param(request, *, write=False, default=True) -> Organization | None:
    code = (request.GET.get("org") or request.POST.get("org") or "").strip()
    if code:
        return find_organization_for_user(request.user, code, write=write)  # a code, or a name typed by a person
    if not default:
        return None
    organization = selectors.default_organization(request.user)
    if organization is None:
        raise Http404("您还没有可以查看的组织。")
    return check_organization(request.user, organization, write=write)


def _flash(request, action, *, success: str, refused: str = "") -> bool:
    """A one-button POST (archive, delete …): run the service, flash its refusal (after `refused`) or `success`;
    True when done."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, refused + "".join(m if m.endswith("。") else m + "。" for m in error.messages))
        return False
    messages.success(request, success)
    return True
