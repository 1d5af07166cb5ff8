"""The unread badge in the navigation bar: one COUNT query, and only on pages that render the badge.

Anonymous visitors cost nothing: the count is computed lazily on first use, and only for a logged-in user.
"""

from functools import cached_property

from .selectors import unread_count


class UnreadBadge:
    def __init__(self, request):
        self._request = request

    @cached_property
    def count(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user=user)

    @property
    def label(self) -> str:
        return "99+" if self.count > 99 else str(self.count)

    def __bool__(self):
        return self.count > 0


def unread(request):
    return {"notifications_unread": UnreadBadge(request)}
