"""Meeting pages, one module per part: meetings.py (list, page, plan, record, archive, amendments), attachments.py,
calendar.py (the month calendar and the year plan). Thin: each view checks access through branches.access /
selectors.get_meeting_for_user (outsider 404, read-only 403, anonymous -> login), calls a selector or a service
(through meetings/formflow.py for forms), then renders or redirects. The talk and review pages are meetings/records/."""

from .attachments import attachment_delete, attachment_download, attachment_upload
from .calendar import meeting_calendar, year_plan
from .meetings import (
    meeting_amend,
    meeting_archive,
    meeting_create,
    meeting_delete,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_record,
    plan_quick,
)
from .quick import meeting_quick_record

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "meeting_amend",
    "meeting_archive",
    "meeting_calendar",
    "meeting_create",
    "meeting_delete",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_quick_record",
    "meeting_record",
    "plan_quick",
    "year_plan",
]
