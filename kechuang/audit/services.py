"""The audit trail. Every service that changes a record that matters calls `record` inside its transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction

from kechuang.audit.models import AuditEntry

SYSTEM_LABEL = "system"


def jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields) -> dict:
    """The values of `fields` on `obj`, foreign keys as their ids, ready to compare and store."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = jsonable(getattr(obj, field.attname))  # type: ignore[union-attr]  # concrete fields only
    return values


def diff(old: dict, new: dict) -> dict:
    """{field: [old, new]} for each field whose value changed."""
    return {k: [old.get(k), new.get(k)] for k in new.keys() | old.keys() if old.get(k) != new.get(k)}


def record(
    action: str, target, *, acting_user, changes=None, note: str = "", organisation_id=None
) -> AuditEntry:
    """Write one audit entry; must run inside the transaction that made the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    if isinstance(target, models.Model):
        target_type, target_id, label = target._meta.label_lower, str(target.pk), str(target)[:255]
        if organisation_id is None:
            is_organisation = target._meta.label_lower == "registry.organisation"
            organisation_id = target.pk if is_organisation else getattr(target, "organisation_id", None)
    else:
        target_type, target_id, label = target
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=(acting_user.get_username() if actor else SYSTEM_LABEL),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label,
        organisation_id=organisation_id,
        changes=jsonable(changes or {}),
        note=note,
    )
