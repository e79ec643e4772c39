"""Bulk insertion for imports and generators, where the ORM's per-object cost dominates.

Callers pass values already in database form (ids, ints, strings, `db_datetime(...)`, `db_json(...)`).
"""

import json

from django.db import connection


def db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def db_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def insert_rows(model, fields: list[str], rows, batch_size: int = 10000) -> int:
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    rows = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)
