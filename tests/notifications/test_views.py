"""The notification centre: own notifications only, unread first, mark as read, go to the thing to do."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify

LIST = "/notifications/"


def make(user, n=1, **fields):
    fields.setdefault("link", "/orgs/EA-B1/")
    return [notify(users=[user], title=fields.pop("title", f"通知{i}"), **fields).notifications[0] for i in range(n)]


def test_urls():
    assert reverse("notifications:list") == LIST
    assert reverse("notifications:read", args=[3]) == "/notifications/3/read/"
    assert reverse("notifications:open", args=[3]) == "/notifications/3/open/"
    assert reverse("notifications:read_all") == "/notifications/read-all/"


@pytest.mark.parametrize("url", [LIST, "/notifications/1/read/", "/notifications/1/open/", "/notifications/read-all/"])
def test_anonymous_visitors_are_sent_to_login(client_for, url):
    response = client_for(None).post(url) if url != LIST else client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_shows_only_my_notifications(client_for, cast):
    make(cast.secretary, title="给书记的通知")
    make(cast.secretary2, title="给书记二的通知")

    html = client_for("secretary").get(LIST).content.decode()

    assert "给书记的通知" in html
    assert "给书记二的通知" not in html


def test_unread_come_first_then_newest(client_for, cast):
    old_unread, read, new_unread = make(cast.secretary, 3)
    read.read_at = read.created_at
    read.save()

    page = client_for("secretary").get(LIST).context["page"]

    assert [n.pk for n in page.object_list] == [new_unread.pk, old_unread.pk, read.pk]


def test_empty_state(client_for):
    html = client_for("secretary").get(LIST).content.decode()
    assert "暂无通知" in html
    assert 'class="empty-state"' in html


def test_search_and_filters(client_for, cast):
    make(cast.secretary, title="换届提醒:支部A", kind=Notification.Kind.TERM_REMINDER)
    done = make(cast.secretary, title="会议通知")[0]
    done.read_at = done.created_at
    done.save()
    client = client_for("secretary")

    def titles(query):
        return [n.title for n in client.get(LIST, query).context["page"].object_list]

    assert titles({"q": "换届"}) == ["换届提醒:支部A"]
    assert titles({"status": "read"}) == ["会议通知"]
    assert titles({"status": "unread"}) == ["换届提醒:支部A"]
    assert titles({"kind": "term_reminder"}) == ["换届提醒:支部A"]
    assert "没有符合条件的通知" in client.get(LIST, {"q": "不存在"}).content.decode()


def test_pagination_keeps_the_filters(client_for, cast):
    make(cast.secretary, 25)

    response = client_for("secretary").get(LIST, {"page": 2, "q": "通知"})

    assert len(response.context["page"].object_list) == 5
    assert "?q=%E9%80%9A%E7%9F%A5&page=1" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(client_for, cast, django_assert_max_num_queries):
    client = client_for("secretary")
    make(cast.secretary, 3)
    # session, user, COUNT for the paginator, the page (with organizations joined).
    with django_assert_max_num_queries(5):  # +1: the unread-notification badge on every page
        client.get(LIST)
    make(cast.secretary, 30, organization=cast.secretary.org_roles.first().organization)
    with django_assert_max_num_queries(5):  # +1: the unread-notification badge on every page
        assert client.get(LIST).status_code == 200


def test_marking_my_notification_read(client_for, cast):
    notification = make(cast.secretary)[0]

    response = client_for("secretary").post(
        f"/notifications/{notification.pk}/read/", {"next": "/notifications/?page=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(client_for, cast):
    notification = make(cast.secretary)[0]
    client = client_for("secretary2")

    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(client_for, cast):
    notification = make(cast.secretary)[0]
    assert client_for("secretary").get(f"/notifications/{notification.pk}/read/").status_code == 405


def test_read_only_reviewers_may_mark_their_own_notifications_read(client_for, cast):
    notification = make(cast.sasac)[0]
    assert client_for("sasac").post(f"/notifications/{notification.pk}/read/").status_code == 302
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_goes_to_the_thing_to_do_and_marks_it_read(client_for, cast):
    notification = make(cast.secretary, link="/orgs/EA-B1/")[0]

    response = client_for("secretary").post(f"/notifications/{notification.pk}/open/")

    assert response["Location"] == "/orgs/EA-B1/"
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_never_redirects_off_site(client_for, cast):
    notification = make(cast.secretary, link="https://evil.example.com/")[0]
    response = client_for("secretary").post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == LIST


def test_mark_all_read_touches_only_my_notifications(client_for, cast):
    make(cast.secretary, 3)
    theirs = make(cast.secretary2)[0]

    response = client_for("secretary").post("/notifications/read-all/", follow=True)

    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=cast.secretary, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_empty_page_says_every_kind_that_will_arrive_and_offers_nothing_to_mark(client_for, cast):
    """Issue 14 point 4: the empty state tells the truth (every reminder the system sends) and shows no dead button."""
    html = client_for("secretary").get(LIST).content.decode()
    for kind in Notification.Kind.labels:
        if kind != "通知":
            assert f"<b>{kind}</b>" in html
    assert "全部标为已读" not in html
    make(cast.secretary)
    assert "全部标为已读" in client_for("secretary").get(LIST).content.decode()
