"""What the meetings app shows on branches' pages (registered in MeetingsConfig.ready() with branches/panels.py):
the secretary's to-do on the home page, and the recent meetings on the organization page. The views of branches call
these through the registry; the templates only render the context computed here."""

from django.urls import reverse
from django.utils import timezone

from branches.access import can_write
from branches.models import Organization

from . import plan, selectors

OVERDUE_SHOWN = 5  # the home page stays short; the year plan shows them all


def secretary_todo(request, branch: Organization) -> dict:
    """This month's and this quarter's open items, what is overdue this year, each with a one-click 安排."""
    today = timezone.localdate()
    items = plan.todo(branch, today)
    overdue = items.get("overdue", [])
    context = {
        "branch": branch,
        "todo": items,
        "overdue_shown": overdue[:OVERDUE_SHOWN],
        "overdue_more": max(len(overdue) - OVERDUE_SHOWN, 0),
        "today": today,
        "can_write": can_write(request.user, branch),
    }
    return {"template": "meetings/snippets/_todo.html", "context": context}


def organization_meetings(request, organization: Organization) -> dict:
    """The organization's (and its subtree's) latest meetings, with 安排会议 for those who may write."""
    may_write = can_write(request.user, organization)
    context = {
        "organization": organization,
        "plan_url": f"{reverse('meetings:meeting_create')}?org={organization.code}" if may_write else "",
        "meetings": selectors.recent_meetings(organization),
        "can_write": may_write,
        "is_branch": organization.kind == Organization.Kind.BRANCH,
    }
    return {"template": "meetings/snippets/_org_panel.html", "context": context}
