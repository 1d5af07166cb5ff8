"""Is a held record complete enough to archive? One rule, read-only: the archive service refuses an incomplete record
with every gap at once (会后有档案: the archive holds who hosted and recorded, what was discussed and who came)."""

from .models import AgendaItem, Attendance, Meeting

K = Meeting.Kind

# Kinds whose business is a list of 议题 (the 支委会 and the 党员大会 decide items): a record names at least one 议题
# or the 第一议题. The other kinds have their 会议主题 (a 党课's lecture, a 主题党日's activity).
AGENDA_KINDS = (K.BRANCH_ASSEMBLY, K.BRANCH_COMMITTEE)


def archive_gaps(meeting: Meeting) -> dict[str, str]:
    """What the record still lacks before it may be archived, {field: Chinese message}; empty when complete.
    Two queries at most (agenda, roll), read fresh: the caller may have just written them."""
    has_agenda = (
        meeting.kind not in AGENDA_KINDS
        or bool(meeting.first_topic.strip())
        or AgendaItem.objects.filter(meeting=meeting).exists()
    )
    roll = list(Attendance.objects.filter(meeting=meeting).values_list("present", "absence_reason"))
    return gaps_of(meeting, has_agenda=has_agenda, roll=roll)


def gaps_of(meeting: Meeting, *, has_agenda: bool, roll: list[tuple[bool, str]]) -> dict[str, str]:
    """The same check on what a page has already read (no query): `roll` is [(present, absence_reason)]."""
    gaps = {}
    if not (meeting.topic or "").strip():
        gaps["topic"] = "请填写会议主题。"
    if meeting.host_id is None:
        gaps["host"] = "请选择主持人。"
    if meeting.recorder_id is None:
        gaps["recorder"] = "请选择记录人。"
    if meeting.kind in AGENDA_KINDS and not meeting.first_topic.strip():
        if not has_agenda:
            gaps["agenda"] = f"{meeting.get_kind_display()}须写明议题(或第一议题)。"
    if meeting.kind == K.PARTY_LECTURE and meeting.lecturer_id is None and not meeting.lecturer_name.strip():
        gaps["lecturer"] = "党课须填写授课人。"
    if not roll:
        gaps["absent"] = "参会名单为空,请核对出席情况。"
    elif not any(present for present, _reason in roll):
        gaps["absent"] = "出席情况里没有人到会,请核对。"
    elif any(not present and not reason for present, reason in roll):
        gaps["absent"] = "有缺席的党员没有写明缺席原因。"
    if not meeting.content.strip():
        gaps["content"] = "请填写会议内容。"
    return gaps
