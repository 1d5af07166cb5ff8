"""--reset: remove the demo tree and every row that refers to it (other apps' records included)."""

from django.apps import apps
from django.db import connection, models

from branches.models import Enterprise, Organization

from .context import chunks, demo_root


def purge_demo() -> None:
    """Delete the demo tree and everything that refers to it, leaves first, without per-row signals.

    Rows are found by following every database foreign key (other apps' records included), so records added later
    by seed_records or by users are removed too. Historical (audit) rows have no database constraint and stay.
    """
    root = demo_root()
    if root is None:
        return
    orgs = Organization.objects.filter(path__startswith=root.path)
    enterprise_ids = sorted(set(orgs.exclude(enterprise=None).values_list("enterprise_id", flat=True)))
    # Models whose migrations have not run yet (work in progress in another app) have no rows to remove.
    tables = set(connection.introspection.table_names())
    models_with_tables = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table in tables
    ]
    _purge(orgs.order_by(), (), models_with_tables)
    _purge(Enterprise.objects.filter(pk__in=enterprise_ids).order_by(), (), models_with_tables)


def _purge(qs, trail, candidates) -> None:
    # Keys are read into Python at each level: nested `IN (subquery)` deletes get very slow plans on PostgreSQL.
    model = qs.model
    pks = list(qs.values_list("pk", flat=True))
    for chunk in chunks(pks, 10000):
        for other in candidates:
            for f in other._meta.concrete_fields:
                if not (f.is_relation and f.related_model is model and f.db_constraint) or other is model:
                    continue
                if other in trail:  # a cycle of foreign keys: the outer call deletes these rows
                    continue
                refs = other._base_manager.filter(**{f"{f.name}__in": chunk}).order_by()
                if f.remote_field.on_delete is models.SET_NULL and not other._meta.auto_created:
                    refs.update(**{f.name: None})
                else:
                    _purge(refs, (*trail, model), candidates)
        # Self references (an amendment pointing at a meeting) go in the same statement.
        rows = model._base_manager.filter(pk__in=chunk).order_by()
        rows._raw_delete(rows.db)
