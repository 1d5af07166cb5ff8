"""公示: the branch's quarters, one published quarter with its objections, the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches.access import can_write
from meetings.formflow import add_errors_on_top, submit

from .. import selectors, services
from ..forms import AnswerForm, ObjectionForm, PublishForm
from .common import _branch, _crumbs, _done

# ---------------------------------------------------------------- 公示


@login_required
def publication_list(request, code):
    """GET: the branch's 公示; POST: publish a quarter."""
    branch = _branch(request.user, code, write=request.method == "POST")
    year = timezone.localdate().year
    form = PublishForm(request.POST or None, initial={"year": year})

    def call(data):
        return services.quarter_publish(organization=branch, user=request.user, **data)

    done, publication = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, f"已发布{publication}。")
        return redirect("points:publication_detail", publication.pk)
    context = {
        "branch": branch,
        "publications": selectors.publications(branch),
        "form": form,
        "years": [year, year - 1],
        "can_write": can_write(request.user, branch),
        "breadcrumbs": _crumbs(branch, ("积分公示", "")),
    }
    return render(request, "points/publication_list.html", context)


@login_required
def publication_detail(request, pk):
    """The published quarter's table, its window and objections; POST records an objection."""
    publication = selectors.get_publication_for_user(request.user, pk, write=request.method == "POST")
    branch = publication.organization
    table = selectors.branch_table(branch, publication.year, quarter=publication.quarter)
    form = ObjectionForm(request.POST or None, members=[row.member for row in table.rows])
    call = lambda data: services.objection_record(publication=publication, user=request.user, **data)  # noqa: E731
    done, _objection = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, "已登记异议,请及时答复。")
        return redirect("points:publication_detail", pk)
    context = {
        "publication": publication,
        "branch": branch,
        "table": table,
        "objections": selectors.objections(publication),
        "form": form,
        "answer_form": AnswerForm(),
        "open": publication.is_open(timezone.localdate()),
        "can_write": can_write(request.user, branch),
        "breadcrumbs": _crumbs(
            branch,
            ("积分公示", reverse("points:publication_list", args=[branch.code])),
            (publication.period_name, ""),
        ),
    }
    return render(request, "points/publication_detail.html", context)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = selectors.get_objection_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        _done(
            request,
            lambda: services.objection_answer(objection=objection, answer=answer, user=request.user),
            "已答复。",
        )
    else:
        messages.error(request, "请填写答复。")
    return redirect("points:publication_detail", objection.publication_id)
