"""The person's own API tokens: see when each was issued and expires, and revoke it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .tokens import PREFIX_LENGTH, token_expires_at, token_is_expired, tokens_of, tokens_revoke


@login_required
def token_list(request):
    if request.method == "POST":
        revoked = tokens_revoke(user=request.user, prefix=request.POST.get("revoke", ""))
        messages.success(request, "已撤销该令牌。" if revoked else "没有找到该令牌。")
        return redirect("account_tokens")
    rows = [
        {"token": t, "prefix": t.key[:PREFIX_LENGTH], "expires_at": token_expires_at(t), "expired": token_is_expired(t)}
        for t in tokens_of(request.user)
    ]
    context = {"rows": rows, "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS, "breadcrumbs": [("我的 API 令牌", "")]}
    return render(request, "accounts/tokens.html", context)
