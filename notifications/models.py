"""In-app notifications, their e-mail/webhook deliveries, group-robot webhooks and the reminder log.

A notification is for one user. The e-mail and webhook copies are logged as Delivery rows so an
administrator can see what went out, what failed and why. ReminderLog makes each reminder threshold
happen once per term however often the daily task runs (a unique key, not a Python check).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteeTerm, Organization


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        TERM_REMINDER = "term_reminder", _("换届提醒")
        RECORD_REMINDER = "record_reminder", _("台账提醒")
        RECRUITMENT_REMINDER = "recruitment_reminder", _("发展党员提醒")
        EXPORT = "export", _("导出完成")
        GENERAL = "general", _("通知")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("办理链接"), max_length=500, blank=True, help_text=_("站内路径,如 /orgs/EA-B1/"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("相关组织"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx")]
        constraints = [
            # The same reminder never lands twice in one inbox, even if two runs race.
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_per_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None


class OrganizationWebhook(models.Model):
    """A WeCom/DingTalk group robot of an organization; both accept {"msgtype": "text", ...}."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500, help_text=_("群机器人的完整地址(含 key/access_token)"))
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群机器人 Webhook")
        verbose_name_plural = _("群机器人 Webhook")
        ordering = ["organization_id", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "url"], name="webhook_url_once_per_org")]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()}"


class Delivery(models.Model):
    """One e-mail or webhook copy of a notification, and how its sending went."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("已跳过")

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("站内通知"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    webhook = models.ForeignKey(
        OrganizationWebhook,
        verbose_name=_("群机器人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    address = models.CharField(_("邮箱"), max_length=254, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("发送内容"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送成功时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["channel", "status"], name="delivery_channel_status_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.title} · {self.get_status_display()}"


class ReminderLog(models.Model):
    """One sent reminder. The unique key (e.g. term:12:2027-03-01:6m) is what makes a threshold fire once."""

    key = models.CharField(_("提醒键"), max_length=200, unique=True)
    term = models.ForeignKey(
        CommitteeTerm,
        verbose_name=_("届次"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_logs",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="reminder_logs"
    )
    threshold = models.CharField(_("提醒节点"), max_length=30)
    due_on = models.DateField(_("届满/截止日期"))
    sent_on = models.DateField(_("提醒日期"))
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.key
