"""The admin checks the same rules as the services for talks and reviews."""

from meetings.models import MemberReview, Talk


def test_admin_adds_a_valid_talk_and_is_refused_an_invalid_one(client_for, tree, members):
    client = client_for("admin")
    data = {
        "organization": tree.branch_a.pk,
        "held_on": "2025-03-01",
        "initiator": members.a[0].pk,
        "participants": f"{members.a[1].pk},{members.a[2].pk}",
        "summary": "谈心",
    }
    response = client.post("/admin/meetings/talk/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Talk.objects.get().participants.count() == 2
    refused = client.post("/admin/meetings/talk/add/", {**data, "participants": str(members.b[0].pk)})
    assert refused.status_code == 200 and "不是本支部党员" in refused.content.decode()
    assert Talk.objects.count() == 1
    assert client.get("/admin/meetings/talk/").status_code == 200


def test_admin_grades_through_the_service(client_for, tree, members):
    client = client_for("admin")
    data = {
        "organization": tree.branch_a.pk,
        "member": members.a[0].pk,
        "year": 2025,
        "grade": "unqualified",
        "decided_on": "2025-12-20",
        "notes": "",
    }
    assert client.post("/admin/meetings/memberreview/add/", data).status_code == 302
    assert MemberReview.objects.get().needs_follow_up
    refused = client.post("/admin/meetings/memberreview/add/", {**data, "member": members.b[0].pk})
    assert refused.status_code == 200 and "不能在本支部评议" in refused.content.decode()
    assert client.get("/admin/meetings/memberreview/").status_code == 200


def _spy(monkeypatch, module, name, calls):
    real = getattr(module, name)

    def spy(**kwargs):
        calls.append(name)
        return real(**kwargs)

    monkeypatch.setattr(module, name, spy)


def test_admin_talk_add_change_and_delete_go_through_the_services(client_for, tree, members, monkeypatch):
    from meetings.records import services

    calls = []
    for name in ("talk_create", "talk_update", "talk_delete"):
        _spy(monkeypatch, services, name, calls)
    client = client_for("admin")
    data = {
        "organization": tree.branch_a.pk,
        "held_on": "2025-03-01",
        "initiator": members.a[0].pk,
        "participants": f"{members.a[1].pk}",
        "summary": "谈心",
    }
    assert client.post("/admin/meetings/talk/add/", data).status_code == 302
    talk = Talk.objects.get()
    assert talk.created_by.username == "admin" and talk.history.first().history_user.username == "admin"
    changed = {k: v for k, v in data.items() if k != "organization"} | {"summary": "谈心(补记)"}
    assert client.post(f"/admin/meetings/talk/{talk.pk}/change/", changed).status_code == 302
    assert Talk.objects.get().summary == "谈心(补记)"
    assert client.post(f"/admin/meetings/talk/{talk.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Talk.objects.exists()
    assert calls == ["talk_create", "talk_update", "talk_delete"]


def test_admin_refuses_to_delete_a_review(client_for, tree, members):
    client = client_for("admin")
    data = {
        "organization": tree.branch_a.pk,
        "member": members.a[0].pk,
        "year": 2025,
        "grade": "qualified",
        "decided_on": "2025-12-20",
        "notes": "",
    }
    assert client.post("/admin/meetings/memberreview/add/", data).status_code == 302
    review = MemberReview.objects.get()
    assert client.post(f"/admin/meetings/memberreview/{review.pk}/delete/", {"post": "yes"}).status_code == 403
    assert MemberReview.objects.filter(pk=review.pk).exists()


def test_admin_refuses_to_add_or_change_an_amendment(client_for, tree, members):
    client = client_for("admin")
    assert client.post("/admin/meetings/meetingamendment/add/", {}).status_code == 403
