"""The unread badge: one COUNT at most per page, nothing for anonymous visitors."""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from notifications.context_processors import unread
from notifications.services import notify


@pytest.fixture
def with_processor(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append("notifications.context_processors.unread")
    settings.TEMPLATES = templates


def render_badge(user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("notifications/snippets/nav_badge.html", request=request)


def test_badge_shows_the_unread_count_with_one_query(with_processor, cast, django_assert_num_queries):
    for _ in range(3):
        notify(users=[cast.secretary], title="t")
    with django_assert_num_queries(1):
        html = render_badge(cast.secretary)
    assert 'data-unread-count="3"' in html
    assert "/notifications/" in html


def test_badge_caps_at_99_plus(with_processor, cast):
    notify(users=[cast.secretary], title="t")
    from notifications.models import Notification

    Notification.objects.bulk_create(Notification(recipient=cast.secretary, title=f"n{i}") for i in range(120))
    assert ">99+<" in render_badge(cast.secretary)


def test_no_badge_count_when_everything_is_read(with_processor, cast):
    html = render_badge(cast.secretary)
    assert "data-unread-count" not in html
    assert "bi-bell" in html


def test_anonymous_visitors_cost_no_query(with_processor, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render_badge(AnonymousUser()).strip() == ""
        badge = unread(type("R", (), {"user": AnonymousUser()})())["notifications_unread"]
        assert badge.count == 0


def test_pages_that_do_not_show_the_badge_pay_nothing(cast, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = cast.secretary
    with django_assert_num_queries(0):
        unread(request)
