"""Pure display filters of meeting pages (no queries: what a page shows is computed by its view)."""

from django import template

from meetings.plan.todo import DONE, OPEN, OVERDUE, UPCOMING

register = template.Library()

_STATUS_BADGES = {"planned": "text-bg-light border", "held": "text-bg-primary", "archived": "text-bg-success"}
_STATE_CLASSES = {DONE: "success", OPEN: "warning", OVERDUE: "danger", UPCOMING: "secondary"}


@register.filter
def meeting_status_badge(status: str) -> str:
    return _STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def state_class(state: str) -> str:
    """Bootstrap colour of an obligation state (done / open / overdue / upcoming)."""
    return _STATE_CLASSES.get(state, "secondary")
