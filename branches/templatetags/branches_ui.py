"""Small presentation helpers shared by the branches templates (badges, masking, progress)."""

from django import template

from branches.models import CommitteePosition
from branches.validators import mask_id_number

register = template.Library()

_KIND_BADGES = {
    "committee": "text-bg-danger",
    "general_branch": "text-bg-warning",
    "branch": "text-bg-primary",
    "group": "text-bg-secondary",
}
_TERM_STATE_CLASSES = {"ok": "success", "expiring": "warning", "overdue": "danger", "none": "secondary"}
_MEMBER_STATUS_CLASSES = {
    "normal": "text-bg-light border",
    "mobile": "text-bg-info",
    "suspended": "text-bg-warning",
    "left": "text-bg-dark",
    "deceased": "text-bg-secondary",
    "transferred_out": "text-bg-secondary",
    "cancelled": "text-bg-secondary",
}


@register.filter
def kind_badge(kind: str) -> str:
    """Bootstrap badge classes for an organization kind code."""
    return _KIND_BADGES.get(kind, "text-bg-secondary")


@register.filter
def term_state_class(state: str) -> str:
    """Bootstrap colour name for a TermStatus.state (ok / expiring / overdue / none)."""
    return _TERM_STATE_CLASSES.get(state, "secondary")


@register.filter
def member_status_badge(status: str) -> str:
    return _MEMBER_STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def masked(value: str) -> str:
    """Mask an ID number (region code and last four kept)."""
    return mask_id_number(value or "")


@register.filter
def indent(depth, base=1) -> str:
    """Tree indentation in rem, 1.25 a level below the user's top level (a string: no number localization)."""
    try:
        return f"{max(int(depth) - int(base), 0) * 1.25:.2f}"
    except (TypeError, ValueError):
        return "0"


@register.simple_tag
def elided_pages(page_obj, on_each_side=1, on_ends=1):
    """Page numbers around the current page, with Paginator.ELLIPSIS where pages are skipped."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag(takes_context=True)
def page_query(context, number, param=""):
    """`{% querystring page=n %}` for a pager whose query parameter may be another name (`param`, e.g. "hpage" for a
    second list on the page): the current filters are kept and only that parameter changes."""
    params = context.request.GET.copy()
    params[param or "page"] = number
    return f"?{params.urlencode()}"


_ROLE_ORDER = {role: i for i, role in enumerate(CommitteePosition.Role.values)}


@register.filter
def by_rank(positions):
    """Committee positions in protocol order (书记, 副书记, 委员…), not alphabetical by code."""
    return sorted(positions, key=lambda p: (_ROLE_ORDER.get(p.role, 99), p.pk))
