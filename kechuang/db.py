"""Bulk insertion for imports and generators, where the ORM's per-object cost dominates.

Callers pass values already in database form (ids, ints, strings, `db_datetime(...)`, `db_json(...)`).
"""

import json

from django.db import connection


def db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def db_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def insert_rows(model, fields: list[str], rows) -> int:
    """COPY on PostgreSQL; on SQLite, executemany of one prepared statement (both avoid per-object ORM cost)."""
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)
