"""Reads for the notification centre; each owns its query shape so the page cost stays flat."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Notification


def notification_list(*, user, q: str = "", status: str = "", kind: str = ""):
    """The user's own notifications, unread first, newest first within each group."""
    qs = Notification.objects.for_user(user).select_related("organization")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if status == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif status == "read":
        qs = qs.filter(read_at__isnull=False)
    if kind in Notification.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.annotate(is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())).order_by(
        "-is_unread", "-created_at", "-id"
    )


def unread_count(*, user) -> int:
    return Notification.objects.for_user(user).unread().count()
