"""三本一表 bulk export jobs. A single branch's workbook is built on the fly (no row); exporting every branch under an
organization runs as a Celery task that writes one workbook per branch into a zip, and this row tracks it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """A job and its file belong to the user who asked for it, and to nobody else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unfinished(self):
        return self.filter(status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING))


def export_file_path(instance, filename):
    # Our own random name: nothing the user typed goes into a path.
    return f"ledgers/exports/{uuid.uuid4().hex}.zip"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("文件已清理")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="ledger_exports"
    )
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("导出范围(上级组织)"),
        on_delete=models.CASCADE,
        related_name="ledger_exports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    with_pdf = models.BooleanField(
        _("同时生成 PDF"), default=False, help_text=_("每个支部的工作簿另附一份 LibreOffice 生成的 PDF(打印、归档用)")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("支部总数"), default=0)
    done_count = models.PositiveIntegerField(_("已完成支部数"), default=0)
    attempts = models.PositiveSmallIntegerField(
        _("执行次数"), default=0, help_text=_("工作进程中断后任务会重新投递;多次中断即判定失败,避免无限重试")
    )
    file = models.FileField(_("导出文件"), upload_to=export_file_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小(字节)"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("最近进展时间"), null=True, blank=True, help_text=_("每导出一个支部更新一次;长时间无进展视为任务中断")
    )
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账批量导出任务")
        verbose_name_plural = _("台账批量导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="exportjob_user_created_idx"),
            models.Index(fields=["status", "finished_at"], name="exportjob_status_finished_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="exportjob_status_valid",
                condition=Q(status__in=["queued", "running", "done", "failed", "expired"]),
            ),
            models.CheckConstraint(name="exportjob_done_at_most_total", condition=Q(done_count__lte=models.F("total"))),
            models.CheckConstraint(name="exportjob_year_sane", condition=Q(year__gte=1921, year__lte=2100)),
            models.CheckConstraint(name="exportjob_failed_has_error", condition=~Q(status="failed") | ~Q(error="")),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}年 三本一表({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportJob.Status.DONE:
            return 100
        return int(self.done_count * 100 / self.total) if self.total else 0

    @property
    def download_name(self) -> str:
        return f"{self.organization.name}-{self.year}年三本一表.zip"
