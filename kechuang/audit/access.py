"""Authorisation rules of the audit trail. See docs/permissions.md."""

from kechuang.permissions.matrix import OFFICIALS, allow

ROUTES = {
    "audit:list": allow(OFFICIALS),
    "audit:export": allow(OFFICIALS),
    "GET /api/audit/entries": allow(OFFICIALS),
}
