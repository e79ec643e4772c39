"""The rules live in kechuang/permissions/audit.py (the one place that decides who may see what)."""

from kechuang.permissions.audit import visible_audit_entries

__all__ = ["visible_audit_entries"]
