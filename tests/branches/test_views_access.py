"""Every page of the branches UI against the fixed cast: anonymous -> login, outsider -> 404, reader -> 403 on writes."""

import pytest

# (name, url builder, is a write page). Builders get (tree, members) and point at branch A's objects.
PAGES = [
    ("org_detail", lambda t, m: f"/orgs/{t.branch_a.code}/", False),
    ("org_edit", lambda t, m: f"/orgs/{t.branch_a.code}/edit/", True),
    ("org_create", lambda t, m: f"/orgs/{t.branch_a.code}/new/", True),
    ("term_start", lambda t, m: f"/orgs/{t.branch_a.code}/terms/new/", True),
    ("election_step", lambda t, m: f"/orgs/{t.branch_a.code}/election/new/", True),
    ("term_detail", lambda t, m: f"/terms/{t.branch_a.terms.get().pk}/", False),
    ("term_extend", lambda t, m: f"/terms/{t.branch_a.terms.get().pk}/extend/", True),
    ("member_detail", lambda t, m: f"/members/{m.a[0].pk}/", False),
    ("member_edit", lambda t, m: f"/members/{m.a[0].pk}/edit/", True),
    ("member_transfer", lambda t, m: f"/members/{m.a[0].pk}/transfer/", True),
    ("member_leave", lambda t, m: f"/members/{m.a[0].pk}/leave/", True),
    ("member_create", lambda t, m: f"/members/new/?org={t.branch_a.code}", True),
]
LISTS = ["/", "/orgs/", "/members/", "/accounts/password_change/"]
READ_PAGES = [p for p in PAGES if not p[2]]
WRITE_PAGES = [p for p in PAGES if p[2]]


@pytest.mark.parametrize("url", LISTS + ["/members/new/"])
def test_anonymous_visitor_is_sent_to_login_from_every_list(client_for, tree, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name,url,write", PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitor_is_sent_to_login_from_every_page(client_for, tree, members, name, url, write):
    client = client_for(None)
    for response in (client.get(url(tree, members)), client.post(url(tree, members), {})):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name,url,write", PAGES, ids=[p[0] for p in PAGES])
def test_outsider_secretary_gets_404_on_branch_a(client_for, tree, members, name, url, write):
    client = client_for("secretary2")
    assert client.get(url(tree, members)).status_code == 404
    assert client.post(url(tree, members), {}).status_code == 404


@pytest.mark.parametrize("name,url,write", PAGES, ids=[p[0] for p in PAGES])
def test_secretary_reaches_every_page_of_own_branch(client_for, tree, members, name, url, write):
    assert client_for("secretary").get(url(tree, members)).status_code == 200


def test_secretary2_reaches_own_branch_and_gets_404_on_branch_a(client_for, tree, members):
    client = client_for("secretary2")
    assert client.get(f"/orgs/{tree.branch_b.code}/").status_code == 200
    assert client.get(f"/members/{members.b[0].pk}/").status_code == 200
    assert client.get(f"/orgs/{tree.branch_a.code}/").status_code == 404
    assert client.get(f"/orgs/{tree.committee_a.code}/").status_code == 404
    assert client.get(f"/members/{members.a[0].pk}/edit/").status_code == 404


@pytest.mark.parametrize("name,url,write", WRITE_PAGES, ids=[p[0] for p in WRITE_PAGES])
def test_sasac_reviewer_gets_403_on_every_write_page(client_for, tree, members, name, url, write):
    client = client_for("sasac")
    assert client.get(url(tree, members)).status_code == 403
    assert client.post(url(tree, members), {"name": "x"}).status_code == 403


def test_sasac_reviewer_cannot_start_a_member_without_a_branch(client_for, tree):
    assert client_for("sasac").get("/members/new/").status_code == 403


@pytest.mark.parametrize("name,url,write", READ_PAGES, ids=[p[0] for p in READ_PAGES])
def test_sasac_reviewer_reads_everything(client_for, tree, members, name, url, write):
    assert client_for("sasac").get(url(tree, members)).status_code == 200
    assert client_for("sasac").get(f"/orgs/{tree.branch_c.code}/").status_code == 200


@pytest.mark.parametrize("name,url,write", PAGES, ids=[p[0] for p in PAGES])
def test_committee_officer_and_admin_reach_every_page_of_enterprise_a(client_for, tree, members, name, url, write):
    assert client_for("committee").get(url(tree, members)).status_code == 200
    assert client_for("admin").get(url(tree, members)).status_code == 200


def test_committee_officer_gets_404_on_enterprise_b(client_for, tree, members):
    client = client_for("committee")
    for url in (
        f"/orgs/{tree.committee_b.code}/",
        f"/orgs/{tree.branch_c.code}/",
        f"/orgs/{tree.branch_c.code}/edit/",
        f"/orgs/{tree.branch_c.code}/terms/new/",
        f"/members/{members.c[0].pk}/",
        f"/members/{members.c[0].pk}/transfer/",
        f"/members/new/?org={tree.branch_c.code}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/orgs/{tree.branch_c.code}/edit/", {"name": "x"}).status_code == 404


def test_unknown_codes_and_ids_are_404(client_for, tree):
    client = client_for("admin")
    assert client.get("/orgs/NOPE/").status_code == 404
    assert client.get("/members/999999/").status_code == 404
    assert client.get("/terms/999999/").status_code == 404


@pytest.mark.parametrize("who", ["secretary", "committee", "sasac", "admin"])
def test_lists_and_password_change_render_for_every_role(client_for, tree, members, who):
    client = client_for(who)
    for url in LISTS:
        assert client.get(url).status_code == 200, url


def test_login_page_renders_and_logs_in_to_home(client, cast):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "secretary", "password": "demo12345", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_logout_is_a_post_and_shows_the_logged_out_page(client_for):
    client = client_for("secretary")
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert client.get("/").status_code == 302


def test_password_change_works_and_confirms(client_for):
    client = client_for("secretary")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "demo12345", "new_password1": "Qz8!vLp2mN", "new_password2": "Qz8!vLp2mN"},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "密码已修改" in page.content.decode()
