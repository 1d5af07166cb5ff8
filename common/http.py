"""Request helpers every app uses: where a redirect may go, who the client is, and how a protected file is sent."""

import ipaddress
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme


def safe_next(request, default: str, *, url: str | None = None) -> str:
    """`url` (by default the request's `next`, POST before GET) when it stays on our own host and scheme, else
    `default` (a path or a URL name for redirect()). An off-site `next` would make our page a phishing springboard."""
    if url is None:
        url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, for login throttling (AXES_CLIENT_IP_CALLABLE) and the audit log.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR; X-Forwarded-For is written by the client and ignored.
    Behind N trusted proxies each appends the address it received from, so the client is the Nth entry from the right;
    anything left of it was sent by the client and is not trusted. A header with fewer entries (a request that did not
    pass every proxy) or a malformed entry gives REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote


def protected_file_response(
    storage, name: str, *, filename: str, content_type: str | None = None, as_attachment: bool = True
) -> HttpResponse:
    """Send a stored file after the caller has checked access. With PROTECTED_MEDIA_REDIRECT_PREFIX set (production,
    behind nginx), the response only names the file in X-Accel-Redirect (PROTECTED_MEDIA_HEADER, e.g. X-Sendfile for
    Apache) and the proxy serves the bytes from an `internal` location; MEDIA_ROOT itself is never public."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "PROTECTED_MEDIA_REDIRECT_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response[getattr(settings, "PROTECTED_MEDIA_HEADER", "X-Accel-Redirect")] = prefix + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        return response
    return FileResponse(
        storage.open(name, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
