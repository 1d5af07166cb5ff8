"""整改 on branches' pages (registered in AssessmentsConfig.ready() with branches/panels.py): the secretary's open
items on the home page. Nothing is shown when the branch has none."""

from django.utils import timezone

from branches.models import Organization

from .selectors import open_items_for


def secretary_rectification(request, branch: Organization) -> dict | None:
    items = open_items_for(branch, timezone.localdate())
    if not items:
        return None
    context = {"branch": branch, "items": items, "overdue": sum(1 for i in items if i.overdue)}
    return {"template": "assessments/rectification/_home.html", "context": context}
