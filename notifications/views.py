"""The notification centre. A notification belongs to one user: everyone sees only their own, and another
user's notification answers 404 (its existence is not revealed). Marking one's own notification as read is
a personal action, so read-only roles (SASAC reviewers) may do it too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.http import safe_next

from . import selectors, services
from .models import Notification

PAGE_SIZE = 20


def _own_notification(request, pk) -> Notification:
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


def _safe_next(request, url: str | None, fallback: str) -> str:
    return safe_next(request, fallback, url=url or "")


@login_required
def notification_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "kind": request.GET.get("kind", ""),
    }
    page = Paginator(selectors.notification_list(user=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": Notification.Kind.choices,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    services.notification_mark_read(notification=_own_notification(request, pk), user=request.user)
    return redirect(_safe_next(request, request.POST.get("next"), "notifications:list"))


@login_required
@require_POST
def notification_open(request, pk):
    """Go to the thing to do, and count the notification as read on the way."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(_safe_next(request, notification.link, "notifications:list"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect(_safe_next(request, request.POST.get("next"), "notifications:list"))
