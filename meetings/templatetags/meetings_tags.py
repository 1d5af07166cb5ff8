"""The meeting pieces other pages include: the secretary's to-do (home page) and the organization panel."""

from django import template
from django.urls import reverse
from django.utils import timezone

from branches.access import Access, organization_access
from branches.models import Organization
from meetings import plan, selectors

register = template.Library()

OVERDUE_SHOWN = 5  # the home page stays short; the year plan shows them all

_STATUS_BADGES = {"planned": "text-bg-light border", "held": "text-bg-primary", "archived": "text-bg-success"}
_STATE_CLASSES = {
    plan.DONE: "success",
    plan.OPEN: "warning",
    plan.OVERDUE: "danger",
    plan.UPCOMING: "secondary",
}


@register.filter
def meeting_status_badge(status: str) -> str:
    return _STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def state_class(state: str) -> str:
    """Bootstrap colour of an obligation state (done / open / overdue / upcoming)."""
    return _STATE_CLASSES.get(state, "secondary")


@register.inclusion_tag("meetings/snippets/_todo.html", takes_context=True)
def secretary_todo(context, branch: Organization):
    """This month's and this quarter's open items, what is overdue this year, each with a one-click 安排."""
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    items = plan.todo(branch, today) if branch is not None else {}
    can_write = user is not None and branch is not None and organization_access(user, branch) == Access.WRITE
    overdue = items.get("overdue", [])
    return {
        "branch": branch,
        "todo": items,
        "overdue_shown": overdue[:OVERDUE_SHOWN],
        "overdue_more": max(len(overdue) - OVERDUE_SHOWN, 0),
        "today": today,
        "can_write": can_write,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("meetings/snippets/_org_panel.html", takes_context=True)
def organization_meetings(context, organization: Organization):
    request = context.get("request")
    user = getattr(request, "user", None)
    can_write = (
        user is not None and organization is not None and organization_access(user, organization) == Access.WRITE
    )
    return {
        "organization": organization,
        "plan_url": f"{reverse('meetings:meeting_create')}?org={organization.code}" if can_write else "",
        "meetings": selectors.recent_meetings(organization) if organization is not None else [],
        "can_write": can_write,
        "is_branch": organization is not None and organization.kind == Organization.Kind.BRANCH,
    }
