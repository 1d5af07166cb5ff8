"""三会一课 and the other meetings of organizational life (支部工作条例 第十二至十六、十九条).

Lifecycle planned → held → archived ("会前有计划、会中有记录、会后有档案"). The rules (quorum, the locked archive)
live in meetings/services.py; the database holds what it can: codes, the group/kind pairing, one attendance row a member,
a reason for every absentee.

应到 and 实到 are never stored: they are counted from Attendance (MeetingQuerySet.with_counts).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.standing import good_standing_on_q, voter_on_q

__all__ = ["AgendaItem", "Attendance", "Meeting", "MeetingAmendment", "MeetingAttachment"]


class MeetingQuerySet(models.QuerySet):
    def held(self):
        """Held or archived: a planned meeting that was not held never counts (DOMAIN.md)."""
        return self.filter(status__in=(Meeting.Status.HELD, Meeting.Status.ARCHIVED))

    def with_counts(self):
        """应到/实到, and the voting members among them (branches/standing.py: 正式党员 as of the meeting date, not under
        留党察看 that day), in the same query. A member 停止党籍 on the meeting date counts in neither."""
        counted = good_standing_on_q(F("date"), "attendances__member__")
        voting = voter_on_q(F("date"), "attendances__member__")
        return self.annotate(
            expected_count=Count("attendances", filter=counted),
            present_count=Count("attendances", filter=counted & Q(attendances__present=True)),
            voting_expected_count=Count("attendances", filter=voting),
            voting_present_count=Count("attendances", filter=voting & Q(attendances__present=True)),
        )


class Meeting(models.Model):
    class Kind(models.TextChoices):
        # The codes are part of the API contract (DOMAIN.md "Organizational life").
        BRANCH_ASSEMBLY = "branch_assembly", _("支部党员大会")
        BRANCH_COMMITTEE = "branch_committee", _("支部委员会")
        GROUP_MEETING = "group_meeting", _("党小组会")
        PARTY_LECTURE = "party_lecture", _("党课")
        THEME_DAY = "theme_day", _("主题党日")
        ORG_LIFE = "org_life", _("组织生活会")
        DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")

        @property
        def short(self):
            return _SHORT_LABELS[self]

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        HELD = "held", _("已召开")
        ARCHIVED = "archived", _("已归档")

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings"
    )
    group = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField(_("会议日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    topic = models.CharField(_("会议主题"), max_length=200)
    host = models.ForeignKey(
        "branches.Member",
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
    )
    host_role = models.CharField(_("主持人职务"), max_length=50, blank=True)
    recorder = models.ForeignKey(
        "branches.Member",
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_recorded",
    )
    lecturer = models.ForeignKey(
        "branches.Member",
        verbose_name=_("授课人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lectures",
    )
    lecturer_name = models.CharField(_("授课人(非本支部)"), max_length=100, blank=True)
    first_topic_flag = models.BooleanField(_("含第一议题"), default=False)
    first_topic = models.CharField(_("第一议题(学习内容)"), max_length=300, blank=True)
    content = models.TextField(_("会议内容及讨论情况"), blank=True)
    votes = models.TextField(_("表决情况"), blank=True)
    resolutions = models.TextField(_("会议决议"), blank=True)
    open_items = models.TextField(_("待办事项"), blank=True)
    non_member_attendees = models.CharField(_("列席人员"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    held_at = models.DateTimeField(_("登记召开时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="meeting_org_date_idx"),
            models.Index(fields=["organization", "kind", "status", "date"], name="meeting_org_kind_idx"),
        ]
        constraints = [
            # 党小组会 belongs to one group; no other kind has one.
            models.CheckConstraint(
                name="meeting_group_iff_group_meeting",
                condition=Q(kind="group_meeting", group__isnull=False)
                | (~Q(kind="group_meeting") & Q(group__isnull=True)),
            ),
            models.CheckConstraint(
                name="meeting_kind_valid",
                condition=Q(
                    kind__in=[
                        "branch_assembly",
                        "branch_committee",
                        "group_meeting",
                        "party_lecture",
                        "theme_day",
                        "org_life",
                        "democratic_life",
                    ]
                ),
            ),
            models.CheckConstraint(
                name="meeting_status_valid", condition=Q(status__in=["planned", "held", "archived"])
            ),
            models.CheckConstraint(
                name="meeting_archived_has_time", condition=~Q(status="archived") | Q(archived_at__isnull=False)
            ),
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gte=F("start_time")),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.topic}"

    @property
    def kind_enum(self) -> "Meeting.Kind":
        return Meeting.Kind(self.kind)

    @property
    def is_planned(self):
        return self.status == Meeting.Status.PLANNED

    @property
    def is_held(self):
        return self.status == Meeting.Status.HELD

    @property
    def is_archived(self):
        return self.status == Meeting.Status.ARCHIVED

    @property
    def lecturer_display(self):
        return self.lecturer.name if self.lecturer_id else self.lecturer_name


_SHORT_LABELS = {
    Meeting.Kind.BRANCH_ASSEMBLY: "党员大会",
    Meeting.Kind.BRANCH_COMMITTEE: "支委会",
    Meeting.Kind.GROUP_MEETING: "党小组会",
    Meeting.Kind.PARTY_LECTURE: "党课",
    Meeting.Kind.THEME_DAY: "主题党日",
    Meeting.Kind.ORG_LIFE: "组织生活会",
    Meeting.Kind.DEMOCRATIC_LIFE: "民主生活会",
}


class AgendaItem(models.Model):
    """议题, in order. Rows rather than one text block: the ledger (会议记录本) prints them numbered and the
    第一议题 (studying the latest theory) is a flagged row, at most one a meeting, that reports can find."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=300)
    is_first_topic = models.BooleanField(_("第一议题"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(is_first_topic=True), name="agenda_one_first_topic"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    """One member on a meeting's roll. The roll is filled when the meeting is planned (members as of its date)."""

    class AbsenceReason(models.TextChoices):
        LEAVE = "leave", _("请假")
        OFFICIAL = "official", _("因公")
        SICK = "sick", _("病假")
        UNEXCUSED = "unexcused", _("无故")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        "branches.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=20, choices=AbsenceReason.choices, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["meeting_id", "member__name", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
            # Every absentee has a reason; a present member has none.
            models.CheckConstraint(
                name="attendance_reason_iff_absent",
                condition=Q(present=True, absence_reason="")
                | Q(present=False, absence_reason__in=["leave", "official", "sick", "unexcused"]),
            ),
        ]

    def __str__(self):
        return f"{self.member} {'出席' if self.present else self.get_absence_reason_display()}"


def attachment_path(instance, filename):
    """Storage path from our own random name: the client's file name is never used for the path."""
    ext = os.path.splitext(filename)[1].lower()
    return f"meetings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class MeetingAttachment(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("签到表")
        PHOTO = "photo", _("照片")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("附件类型"), max_length=20, choices=Kind.choices, default=Kind.SIGN_IN)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.original_name or os.path.basename(self.file.name)


class MeetingAmendment(models.Model):
    """A correction to an archived record: its text is never edited (an attendance correction is applied to the roll,
    see services.meeting_amend). `changes` is {field or attendance:<member id>:<name>: [old, new]}."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="amendments")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    reason = models.CharField(_("更正原因"), max_length=500)
    changes = models.JSONField(_("更正内容"), default=dict)

    class Meta:
        verbose_name = _("会议记录更正")
        verbose_name_plural = _("会议记录更正")
        ordering = ["meeting_id", "created_at", "id"]
        constraints = [models.CheckConstraint(name="amendment_has_reason", condition=~Q(reason=""))]

    def __str__(self):
        return f"{self.meeting} 更正 {self.created_at:%Y-%m-%d}"

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) for display."""
        rows = []
        for name, pair in (self.changes or {}).items():
            if name.startswith("attendance:"):  # attendance:<member id>:<name> (services.meeting_amend)
                old, new = (list(pair) + ["", ""])[:2]
                rows.append((f"出席情况({name.split(':', 2)[-1]})", old, new))
                continue
            try:
                label = str(Meeting._meta.get_field(name).verbose_name)
            except Exception:  # a field renamed since: show its code
                label = name
            old, new = (list(pair) + ["", ""])[:2]
            rows.append((label, old, new))
        return rows
