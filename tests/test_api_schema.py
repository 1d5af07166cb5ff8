"""The OpenAPI schema generates without warnings, and the docs page renders (without a CDN once configured)."""

from django.core.management import call_command

PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/organizations/",
    "/api/v1/organizations/{code}/",
    "/api/v1/members/",
    "/api/v1/members/{id}/",
    "/api/v1/members/{id}/transfer/",
    "/api/v1/terms/",
    "/api/v1/terms/{id}/",
    "/api/v1/terms/{id}/extend/",
]


def test_schema_generates_and_validates_without_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning (an undocumented field, an enum collision) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 0


def test_schema_is_for_logged_in_users_only(client, db):
    assert client.get("/api/schema/").status_code == 403
    assert client.get("/api/docs/").status_code == 403


def test_schema_view_lists_every_endpoint(client_for):
    response = client_for("secretary").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert set(PATHS) <= set(schema["paths"])
    assert "delete" not in schema["paths"]["/api/v1/organizations/{code}/"]
    assert set(schema["paths"]["/api/v1/terms/{id}/"]) == {"get"}
    responses = schema["paths"]["/api/v1/members/{id}/transfer/"]["post"]["responses"]
    assert {"200", "400", "403", "404"} <= set(responses)
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_docs_page_renders_for_a_logged_in_user(client_for):
    response = client_for("secretary").get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_docs_page_needs_no_cdn(client_for):
    # The app runs on an intranet (DOMAIN.md): Swagger UI comes from our static files (the sidecar), not a CDN.
    response = client_for("secretary").get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn.jsdelivr.net" not in response.content
