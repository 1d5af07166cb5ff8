"""API tokens: they expire after settings.API_TOKEN_LIFETIME_DAYS, and a password change or a deactivation revokes
them (issue 12 point 6). DRF keeps one token per user; its `created` time is when it was issued."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + token_lifetime()


def token_is_expired(token: Token, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's token, a fresh one when the old one has expired (asking for a token is logging in again)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


PREFIX_LENGTH = 6  # a token is shown and named by this many first characters, never in full


def tokens_revoke(*, user, prefix: str | None = None) -> int:
    """Delete the user's tokens (only the one starting with `prefix`, when given). Another user's token is never
    matched: the filter starts from the user's own."""
    tokens = Token.objects.filter(user=user)
    if prefix is not None:
        if len(prefix) < PREFIX_LENGTH:
            return 0
        tokens = tokens.filter(key__startswith=prefix)
    deleted, _by_model = tokens.delete()
    return deleted


def tokens_of(user) -> list[Token]:
    return list(Token.objects.filter(user=user).order_by("-created"))
