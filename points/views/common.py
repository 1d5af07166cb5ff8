"""Helpers of the points pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from branches.access import get_branch_for_user

MESSAGE = "党员积分按党支部统计,请选择一个党支部。"


def _branch(user, code, *, write=False):
    return get_branch_for_user(user, code, write=write, message=MESSAGE)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("年度无效。")
    return year


def _crumbs(branch, *tail):
    return [("首页", reverse("branches:home")), ("党员积分", reverse("points:index")), (branch.name, ""), *tail]


def _done(request, call, success):
    try:
        call()
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, success)
