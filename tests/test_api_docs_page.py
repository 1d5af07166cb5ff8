"""API docs inside the app's look (issue 14 point 13): the header with a way back; API is in the account menu."""

import re

from django.urls import reverse


def test_docs_page_has_the_app_header_and_a_way_back(client_for, db, django_assert_max_num_queries):
    client = client_for("secretary")
    with django_assert_max_num_queries(6):
        html = client.get(reverse("api-docs")).content.decode()
    assert "app-navbar" in html and "返回首页" in html and 'id="swagger-ui"' in html
    assert not re.search(r"<script>(?!\s*</script>)", html)  # no inline script (CSP script-src 'self')


def test_api_is_in_the_account_menu_not_the_main_menu(client_for, db):
    html = client_for("secretary").get(reverse("branches:home")).content.decode()
    menu = html[html.index('class="dropdown-menu') :]
    assert reverse("api-docs") in menu
    assert 'class="nav-link" href="/api/docs/"' not in html
