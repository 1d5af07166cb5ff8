"""notify(): in-app for each user, e-mail where there is an address, the organization's robots once,
and a failing channel never holds back the others."""

import pytest
from django.core import mail

from notifications import services, tasks
from notifications.models import Delivery, Notification, OrganizationWebhook
from notifications.services import notify
from notifications.tasks import WEBHOOK_MAX_RETRIES


def test_notify_writes_one_in_app_notification_per_user(tree, cast):
    result = notify(users=[cast.secretary, cast.committee, cast.secretary], title="测试", body="内容", link="/x/")

    assert sorted(n.recipient.username for n in result.notifications) == ["committee", "secretary"]
    assert Notification.objects.filter(title="测试", read_at__isnull=True).count() == 2


def test_users_without_e_mail_are_skipped_and_logged(tree, cast):
    cast.secretary.email = "s@example.com"
    cast.secretary.save()

    result = notify(users=[cast.secretary, cast.committee], title="会议通知", body="周五开会")

    assert (result.emails_sent, result.emails_skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [["s@example.com"]]
    assert mail.outbox[0].subject == "会议通知"
    statuses = dict(Delivery.objects.values_list("notification__recipient__username", "status"))
    assert statuses == {"secretary": "sent", "committee": "skipped"}


def test_a_failing_mail_server_does_not_stop_the_in_app_notification(tree, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    cast.secretary.email = "s@example.com"
    cast.secretary.save()

    result = notify(users=[cast.secretary], title="提醒")

    assert result.emails_failed == 1
    assert Notification.objects.filter(recipient=cast.secretary, title="提醒").exists()
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_the_same_dedupe_key_never_lands_twice_in_one_inbox(tree, cast):
    notify(users=[cast.secretary], title="一", dedupe_key="k1")
    again = notify(users=[cast.secretary, cast.committee], title="一", dedupe_key="k1")

    assert [n.recipient for n in again.notifications] == [cast.committee]
    assert Notification.objects.filter(dedupe_key="k1").count() == 2


def test_inactive_users_are_not_notified(tree, cast):
    cast.secretary.is_active = False
    cast.secretary.save()
    assert notify(users=[cast.secretary], title="x").notifications == []


def test_webhook_posts_the_robot_text_payload_once_per_organization(
    tree, cast, robot_server, django_capture_on_commit_callbacks
):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)
    OrganizationWebhook.objects.create(
        organization=tree.branch_a, kind="dingtalk", url=robot_server.url + "&off", enabled=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[cast.secretary, cast.committee],
            title="标题",
            body="正文",
            link="/orgs/EA-B1/",
            organization=tree.branch_a,
        )

    assert [r["body"] for r in robot_server.received] == [
        {"msgtype": "text", "text": {"content": "标题\n正文\n办理入口:/orgs/EA-B1/"}}
    ]


def test_webhook_is_posted_only_after_the_transaction_commits(
    tree, cast, robot_server, django_capture_on_commit_callbacks
):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[cast.secretary], title="t", organization=tree.branch_a)

    assert robot_server.received == []
    assert len(callbacks) == 1


def test_a_refused_connection_is_retried_then_marked_failed(
    tree, cast, refused_url, django_capture_on_commit_callbacks
):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=refused_url)

    with django_capture_on_commit_callbacks(execute=True):
        result = notify(users=[cast.secretary], title="t", organization=tree.branch_a)

    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == WEBHOOK_MAX_RETRIES + 1
    assert "refused" in delivery.last_error.lower()
    assert len(result.notifications) == 1


def test_a_robot_that_recovers_gets_the_message_on_a_retry(
    tree, cast, robot_server, django_capture_on_commit_callbacks
):
    class FlakyThenOk:
        calls = 0

    robot_server.status = 503
    webhook = OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)
    delivery = Delivery.objects.create(channel="webhook", webhook=webhook, title="t", content="c")
    original = services.webhook_post

    def flaky(**kwargs):
        FlakyThenOk.calls += 1
        if FlakyThenOk.calls == 3:
            robot_server.status = 200
        return original(**kwargs)

    services.webhook_post, saved = flaky, services.webhook_post
    try:
        assert tasks.deliver_webhook.delay(delivery.pk).get() == "sent"
    finally:
        services.webhook_post = saved

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(robot_server.received) == 3


@pytest.mark.parametrize(
    ("status", "answer", "expected_posts"),
    [
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, 1),  # bad key: retrying cannot help
        (404, {}, 1),
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}, WEBHOOK_MAX_RETRIES + 1),  # rate limit
    ],
)
def test_refusals_are_final_and_rate_limits_are_retried(
    tree, cast, robot_server, django_capture_on_commit_callbacks, status, answer, expected_posts
):
    robot_server.status, robot_server.answer = status, answer
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.secretary], title="t", organization=tree.branch_a)

    assert len(robot_server.received) == expected_posts
    assert Delivery.objects.get(channel="webhook").status == Delivery.Status.FAILED


def test_an_unreachable_broker_marks_the_webhook_failed_and_notify_still_succeeds(
    tree, cast, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:56379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_webhook, "delay", broker_down)
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url="http://127.0.0.1:9/x")

    with django_capture_on_commit_callbacks(execute=True):
        result = notify(users=[cast.secretary], title="t", organization=tree.branch_a)

    assert len(result.notifications) == 1
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == Delivery.Status.FAILED
    assert "无法提交发送任务" in delivery.last_error


def test_a_delivered_webhook_is_not_posted_again_when_the_task_is_redelivered(tree, cast, robot_server):
    webhook = OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)
    delivery = Delivery.objects.create(channel="webhook", webhook=webhook, title="t", content="c")

    tasks.deliver_webhook.delay(delivery.pk)
    tasks.deliver_webhook.delay(delivery.pk)  # acks_late: a worker crash can run a task twice

    assert len(robot_server.received) == 1


def test_mark_read_refuses_another_users_notification(tree, cast):
    from django.core.exceptions import ValidationError

    notification = notify(users=[cast.secretary], title="t").notifications[0]
    with pytest.raises(ValidationError):
        services.notification_mark_read(notification=notification, user=cast.secretary2)
