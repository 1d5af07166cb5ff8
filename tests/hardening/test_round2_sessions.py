"""Issue 12 point 6: sessions, tokens, addresses, served files and bulk exports.

- API tokens expire after API_TOKEN_LIFETIME_DAYS; a password change or a deactivation revokes them; a person sees and
  revokes their own tokens on /accounts/tokens/.
- Every `next` taken from a request stays on our host (common.http.safe_next).
- Behind TRUSTED_PROXY_COUNT proxies, login throttling and the audit use the client address from X-Forwarded-For.
- Django's password-reset pages are not routed; files are never served from a public media URL; in production the
  proxy serves the bytes after the access check (PROTECTED_MEDIA_REDIRECT_PREFIX).
- One running bulk export per person.
"""

import datetime
import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from branches.models import IdNumberAccess
from common.http import client_ip
from ledgers.models import ExportJob
from meetings.models import MeetingAttachment
from tests.meetings.meeting_helpers import K, plan

pytestmark = pytest.mark.django_db

PASSWORD = "demo12345"
API = "/api/v1/members/"


def api_get(key, url=API):
    return Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")


# ---- tokens -------------------------------------------------------------------------------------------------------


def test_a_token_older_than_its_lifetime_is_refused(cast, members, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    token = Token.objects.create(user=cast.secretary)
    assert api_get(token.key).status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=31))
    response = api_get(token.key)
    assert response.status_code in (401, 403)
    assert "过期" in response.content.decode()


def test_asking_again_after_expiry_gives_a_fresh_token(cast, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    old = Token.objects.create(user=cast.secretary)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=31))
    response = Client().post("/api/v1/auth/token/", {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"] != old.key
    assert api_get(response.json()["token"]).status_code == 200


def test_a_password_change_revokes_the_tokens(client_for, cast):
    token = Token.objects.create(user=cast.secretary)
    response = client_for("secretary").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Zx9!qLong-pass", "new_password2": "Zx9!qLong-pass"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()
    assert api_get(token.key).status_code in (401, 403)


def test_deactivating_a_user_revokes_the_tokens(cast):
    token = Token.objects.create(user=cast.secretary)
    user = get_user_model().objects.get(pk=cast.secretary.pk)
    user.is_active = False
    user.save()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_a_person_sees_and_revokes_only_their_own_tokens(client_for, cast):
    mine = Token.objects.create(user=cast.secretary)
    theirs = Token.objects.create(user=cast.committee)
    client = client_for("secretary")
    page = client.get(reverse("account_tokens"))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.key[:6] in html and theirs.key[:6] not in html and mine.key not in html  # shown by its prefix only
    assert reverse("account_tokens") in client.get(reverse("branches:home")).content.decode()  # in the account menu
    # Naming another person's token revokes nothing of theirs.
    client.post(reverse("account_tokens"), {"revoke": theirs.key})
    assert Token.objects.filter(pk=theirs.pk).exists()
    assert client.post(reverse("account_tokens"), {"revoke": mine.key}).status_code == 302
    assert not Token.objects.filter(pk=mine.pk).exists()


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("account_tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---- next --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
def test_the_quick_plan_form_does_not_redirect_off_site(client_for, members, target):
    # A 党小组会 without a group is refused, and the refusal redirects to `next`.
    response = client_for("secretary").post(
        reverse("meetings:plan_quick"), {"org": "EA-B1", "period": "2026-03", "kind": "group_meeting", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("branches:home")


def test_the_quick_plan_form_still_goes_back_to_a_local_next(client_for, members):
    response = client_for("secretary").post(
        reverse("meetings:plan_quick"),
        {"org": "EA-B1", "period": "2026-03", "kind": "group_meeting", "next": "/meetings/plan/?year=2026"},
    )
    assert response["Location"] == "/meetings/plan/?year=2026"


# ---- client address behind trusted proxies ----------------------------------------------------------------------


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(FakeRequest("10.0.0.2", "6.6.6.6")) == "10.0.0.2"


def test_with_one_trusted_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    assert client_ip(FakeRequest("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(FakeRequest("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3")) == "203.0.113.7"
    # Fewer entries than proxies, or garbage: the direct peer, never a forged value.
    assert client_ip(FakeRequest("10.0.0.2", "")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(FakeRequest("10.0.0.2", "not-an-ip")) == "10.0.0.2"


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_another(settings, cast):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request reaches Django from the proxy
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    for _attempt in range(5):
        attacker.post("/accounts/login/", {"username": "secretary", "password": "wrong-password"})
    assert attacker.post("/accounts/login/", {"username": "secretary", "password": PASSWORD}).status_code == 429
    owner = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = owner.post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 302


def test_the_audit_records_the_client_address_behind_the_proxy(settings, cast, members):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    client.force_login(cast.committee)
    client.post(reverse("branches:member_detail", args=[members.a[0].pk]), {"reveal_id_number": "1"})
    assert IdNumberAccess.objects.get().ip == "203.0.113.7"


# ---- password reset, media ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/accounts/password_reset/", "/accounts/reset/MQ/set-password/"])
def test_django_password_reset_pages_are_not_routed(client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "someone@example.org"}).status_code == 404


def test_no_public_media_route_even_in_debug(settings):
    import config.urls

    settings.DEBUG = True
    try:
        reloaded = importlib.reload(config.urls)
        assert not any(settings.MEDIA_URL.strip("/") in str(p.pattern) for p in reloaded.urlpatterns)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_in_production_the_proxy_serves_an_attachment_after_the_access_check(
    client_for, tree, members, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_REDIRECT_PREFIX = "/protected-media/"
    meeting = plan(tree, K.BRANCH_COMMITTEE, topic="研究发展党员")
    client_for("secretary").post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"kind": "sign_in", "file": SimpleUploadedFile("签到表.pdf", PDF)},
    )
    attachment = MeetingAttachment.objects.get()
    url = reverse("meetings:attachment_download", args=[attachment.pk])
    assert client_for("secretary2").get(url).status_code == 404  # the check comes first
    response = client_for("secretary").get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + attachment.file.name
    assert response["Content-Type"] == "application/pdf" and not response.content


def test_in_production_the_proxy_serves_an_export_after_the_owner_check(client_for, tree, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_REDIRECT_PREFIX = "/protected-media/"
    client_for("committee").post(reverse("ledgers:export_new"), {"organization": "EA", "year": 2026})
    job = ExportJob.objects.get()
    url = reverse("ledgers:job_download", args=[job.pk])
    assert client_for("sasac").get(url).status_code == 404
    response = client_for("committee").get(url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + job.file.name and not response.content


# ---- one bulk export at a time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
def test_a_second_bulk_export_is_refused_while_one_runs(client_for, tree, cast, status):
    ExportJob.objects.create(user=cast.committee, organization=tree.committee_a, year=2026, status=status)
    response = client_for("committee").post(
        reverse("ledgers:export_new"), {"organization": "EA", "year": 2025}, follow=True
    )
    assert "已有一个导出任务" in response.content.decode()
    assert ExportJob.objects.count() == 1
    # Someone else is not held up by it.
    other = client_for("sasac").post(reverse("ledgers:export_new"), {"organization": "EA", "year": 2025})
    assert other.status_code == 302 and ExportJob.objects.count() == 2
