"""Accounts: login throttling (django-axes), strong passwords, session expiry, and the security headers."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent.parent
LOGIN_URL = "/accounts/login/"
PASSWORD = "demo12345"  # tests/factories.py UserFactory


@pytest.fixture
def axes_on(settings):
    # config/settings/test.py switches axes off because Client.login() passes no request; these tests use real POSTs.
    settings.AXES_ENABLED = True


def _login(client, username, password, *, url=LOGIN_URL):
    return client.post(url, {"username": username, "password": password})


# ---- login throttling ----------------------------------------------------------------------------------------


def test_login_works_with_axes_on(axes_on, cast):
    response = _login(Client(), "secretary", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_five_wrong_passwords_lock_the_username_on_that_ip_with_a_chinese_page(axes_on, cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _attempt in range(4):
        response = _login(client, "secretary", "wrong-password")
        assert response.status_code == 200  # the form again, with Django's "wrong username or password"
    response = _login(client, "secretary", "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录失败次数过多" in html and "30 分钟后再试" in html and "secretary" in html
    # Locked out: even the right password is refused now, and no session is created.
    response = _login(client, "secretary", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_ip(axes_on, cast):
    attacker = Client(REMOTE_ADDR="10.1.1.1")
    for _attempt in range(5):
        _login(attacker, "secretary", "wrong-password")
    # The real secretary at her own desk, and a colleague at the attacker's machine, still log in.
    assert _login(Client(REMOTE_ADDR="10.2.2.2"), "secretary", PASSWORD).status_code == 302
    assert _login(Client(REMOTE_ADDR="10.1.1.1"), "secretary2", PASSWORD).status_code == 302
    assert _login(Client(REMOTE_ADDR="10.1.1.1"), "secretary", PASSWORD).status_code == 429


def test_lockout_ends_after_thirty_minutes(axes_on, cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _attempt in range(5):
        _login(client, "secretary", "wrong-password")
    assert _login(client, "secretary", PASSWORD).status_code == 429
    # Failures during the lockout restart the 30 minutes (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert _login(client, "secretary", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _login(client, "secretary", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(axes_on, cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _attempt in range(4):
        _login(client, "secretary", "wrong-password")
    assert _login(client, "secretary", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _attempt in range(4):
        assert _login(client, "secretary", "wrong-password").status_code == 200
    assert _login(client, "secretary", PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(axes_on, cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _attempt in range(5):
        response = _login(client, "admin", "wrong-password", url="/admin/login/")
    assert response.status_code == 429
    assert _login(client, "admin", PASSWORD, url="/admin/login/").status_code == 429


def test_lockout_settings_are_five_failures_thirty_minutes_per_username_and_ip():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=30)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


# ---- passwords -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab3$xyz", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("1234509876123", "密码只包含数字。"),
        ("password123", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert message in excinfo.value.messages


def test_password_like_the_username_is_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        validate_password("secretary2x", user=cast.secretary)
    assert any("相似" in m for m in excinfo.value.messages)


def test_a_strong_password_passes():
    validate_password("红旗-Dangjian-2026")


def test_password_change_page_refuses_a_short_password_with_a_chinese_message(client_for):
    client = client_for("secretary")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Zx8!kq2", "new_password2": "Zx8!kq2"},
    )
    assert response.status_code == 200
    assert "密码长度太短" in response.content.decode()
    client.logout()
    assert Client().login(username="secretary", password=PASSWORD)


def test_password_change_requires_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# The password-reset pages are no longer routed (issue 12 point 6): test_round2_sessions checks they answer 404.


# ---- sessions ------------------------------------------------------------------------------------------------


def test_session_cookie_ends_with_the_browser_and_the_session_after_eight_hours(cast):
    client = Client()
    response = _login(client, "secretary", PASSWORD)
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 3600
    session = Session.objects.get(session_key=cookie.value)
    expected = timezone.now() + datetime.timedelta(hours=8)
    assert abs((session.expire_date - expected).total_seconds()) < 60


def test_an_expired_session_sends_the_user_back_to_login(client_for, cast):
    client = client_for("secretary")
    assert client.get(reverse("password_change")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---- security headers ----------------------------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("who", [None, "secretary"])
def test_every_page_carries_the_security_headers(client_for, who):
    response = client_for(who).get(LOGIN_URL if who is None else reverse("password_change"))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_responses_carry_the_headers_too(client_for):
    response = client_for("secretary").get("/api/v1/organizations/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY" and "script-src 'self'" in response["Content-Security-Policy"]


def test_swagger_page_still_works_with_its_static_files(client_for):
    response = client_for("secretary").get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources, "Swagger UI loads its bundle from our own static files"
    for src in sources:
        if src.startswith(django_settings.STATIC_URL):
            assert finders.find(src.removeprefix(django_settings.STATIC_URL)), src
        else:  # the start-up script, served by the docs view itself
            assert src.startswith(reverse("api-docs")), src
            assert client_for("secretary").get(src).status_code == 200
    # The split view serves the start-up script as a file (?script=), so the page needs no CSP exemption.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _templates():
    for directory in TEMPLATE_DIRS:
        if ".venv" not in directory.parts:
            yield from directory.rglob("*.html")


def test_no_template_has_inline_script_code_that_the_csp_would_block():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)[:60]}")
    assert not offenders, "move the code into static/js/*.js (json_script for data):\n" + "\n".join(offenders)


def test_the_template_scan_would_catch_an_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="data" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<button onclick="go()">')
    assert JS_URL.search('<a href="javascript:void(0)">')


def _production_env(**extra) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "dangjian.example.org",
        "DATABASE_URL": "postgres://sbgf@127.0.0.1:5432/sbgf",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }


def test_production_turns_on_https_only_settings():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.AXES_ENABLED, "
        "'upgrade-insecure-requests' in s.CONTENT_SECURITY_POLICY['DIRECTIVES'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "DENY", "True", "True"]
