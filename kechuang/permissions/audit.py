"""Who reads the audit trail: officials; a city official the entries about its area's organisations and its own."""

from kechuang.permissions.core import Cap, has_cap, visible_organisations


def visible_audit_entries(user, *, target_type="", target_id="", actor="", action=""):
    from kechuang.audit.models import AuditEntry

    if not has_cap(user, Cap.AUDIT_VIEW):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("actor")
    if user.city_id:
        qs = qs.filter(organisation_id__in=visible_organisations(user).values("id")) | qs.filter(actor=user)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if actor:
        qs = qs.filter(actor_label=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-at", "-id")
