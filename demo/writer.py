"""Fast inserts for the year of records: COPY on PostgreSQL, executemany on SQLite.

A year of records is about 200,000 rows at scale 1 and 3 million at scale 15. bulk_create spends most of its time
compiling SQL value by value (about 25 µs a row here), which would make `make demo` take half a minute; COPY writes
100,000 rows in about 0.3 s (STYLE.md, measured). Rows are plain tuples of Python values in the order of the columns
named by attname; primary keys that later rows refer to are reserved first (`reserve_ids`), so nothing is read back.
Like bulk_create, this sends no signals and writes no history rows (the history starts with the first real edit).
"""

import datetime
import io
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from .context import BATCH_SIZE, chunks

COPY_ROWS = 50000


def reserve_ids(model, n: int) -> list[int]:
    """`n` primary keys for new rows of `model`, taken from the table's sequence so later inserts do not collide."""
    if n == 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
            return [row[0] for row in cursor.fetchall()]
        # SQLite (AUTOINCREMENT): explicit keys above the sequence move the sequence on.
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608 (names from _meta)
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(top, row[0] if row else 0) + 1
        return list(range(start, start + n))


def insert_rows(model, columns: list[str], rows: list[tuple]) -> int:
    """Insert tuples whose values follow `columns` (field attnames). Returns the number of rows."""
    if not rows:
        return 0
    names = [model._meta.get_field(name).column for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in chunks(rows, COPY_ROWS):
                buffer = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in chunk))
                cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
            for chunk in chunks(rows, BATCH_SIZE * 5):
                cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in chunk])
    return len(rows)


def insert_objects(model, objects: list) -> int:
    """Unsaved model instances (with their primary keys set) through insert_rows: every concrete field, defaults and
    auto_now(_add) timestamps filled as save() would. Without primary keys, the database assigns them."""
    fields = list(model._meta.concrete_fields)
    if objects and objects[0].pk is None:  # keys from the database
        fields = [f for f in fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objects:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, now)
    return insert_rows(
        model, [f.attname for f in fields], [tuple(getattr(o, f.attname) for f in fields) for o in objects]
    )


def _copy_text(value) -> str:
    # PostgreSQL COPY text format: \N is NULL; backslash, tab, newline and carriage return are escaped.
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)  # int, Decimal, date, time, aware datetime: their str() is what PostgreSQL reads


def _sqlite_value(value):
    # What Django's SQLite backend stores: dates and times as ISO text, aware datetimes as naive UTC text.
    if isinstance(value, datetime.datetime):
        return str(timezone.make_naive(value, datetime.UTC)) if timezone.is_aware(value) else str(value)
    if isinstance(value, (datetime.date, datetime.time, Decimal)):
        return str(value)
    return value
