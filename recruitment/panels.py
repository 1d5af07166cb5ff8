"""发展党员's section of the secretary's home page (registered in apps.py through branches/panels.py): the overdue steps
of the branch's people next to the meetings the branch owes. Nothing when none is overdue."""

from django.utils import timezone

from branches.models import Organization

from . import selectors

SHOWN = 5  # the home page stays short; the branch's pipeline page lists them all


def secretary_overdue_steps(request, organization: Organization) -> dict | None:
    if organization is None or organization.kind != Organization.Kind.BRANCH:
        return None
    today = timezone.localdate()
    overdue = selectors.overdue_steps(today=today, branch=organization)
    if not overdue:
        return None
    return {
        "template": "recruitment/snippets/home_overdue.html",
        "context": {"branch": organization, "overdue": overdue[:SHOWN], "more": max(len(overdue) - SHOWN, 0)},
    }
