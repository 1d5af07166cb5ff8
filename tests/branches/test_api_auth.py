"""Authentication of the API: session (the web login) and token (POST /api/v1/auth/token/)."""

from django.test import Client

TOKEN_URL = "/api/v1/auth/token/"


def test_a_user_exchanges_username_and_password_for_a_token_and_uses_it(cast, members):
    client = Client()
    response = client.post(
        TOKEN_URL, {"username": "secretary", "password": "demo12345"}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    listed = Client().get("/api/v1/members/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200
    assert {row["organization"]["code"] for row in listed.json()["results"]} == {"EA-B1"}


def test_a_wrong_password_gets_no_token(cast):
    response = Client().post(TOKEN_URL, {"username": "secretary", "password": "wrong"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert "token" not in response.json()


def test_a_bad_token_is_refused(cast):
    response = Client().get("/api/v1/organizations/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code in (401, 403)


def test_token_auth_keeps_the_read_only_rule(cast, tree):
    token = Client().post(TOKEN_URL, {"username": "sasac", "password": "demo12345"}).json()["token"]
    response = Client().patch(
        "/api/v1/organizations/EA-B1/",
        {"name": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 403
