"""Robots are configured in the admin (Chinese), with a test-message action; logs are read-only there."""

from notifications.models import Delivery, OrganizationWebhook


def test_admin_pages_for_webhooks_and_logs_render(client_for, tree):
    client = client_for("admin")
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url="http://127.0.0.1:9/x")
    for url in (
        "/admin/notifications/organizationwebhook/",
        "/admin/notifications/organizationwebhook/add/",
        "/admin/notifications/notification/",
        "/admin/notifications/delivery/",
        "/admin/notifications/reminderlog/",
    ):
        assert client.get(url).status_code == 200, url
    assert "群机器人 Webhook" in client.get("/admin/notifications/organizationwebhook/").content.decode()


def test_admin_adds_a_webhook(client_for, tree, robot_server):
    response = client_for("admin").post(
        "/admin/notifications/organizationwebhook/add/",
        {"organization": tree.branch_a.pk, "kind": "dingtalk", "url": robot_server.url, "enabled": "on", "note": ""},
    )
    assert response.status_code == 302
    assert OrganizationWebhook.objects.get().kind == "dingtalk"


def test_the_test_message_action_posts_to_the_robot(client_for, tree, robot_server):
    webhook = OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)

    response = client_for("admin").post(
        "/admin/notifications/organizationwebhook/",
        {"action": "send_test_message", "_selected_action": [webhook.pk]},
        follow=True,
    )

    assert "测试消息已发送" in response.content.decode()
    assert "配置成功" in robot_server.received[0]["body"]["text"]["content"]


def test_delivery_log_cannot_be_edited_in_the_admin(client_for, tree):
    delivery = Delivery.objects.create(channel="email", title="t", address="a@example.com")
    client = client_for("admin")
    assert client.get("/admin/notifications/delivery/add/").status_code == 403
    page = client.get(f"/admin/notifications/delivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
