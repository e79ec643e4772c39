from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from kechuang.bounds import BoundedPages, Code, Search
from kechuang.permissions import Cap, require_cap
from kechuang.permissions.audit import visible_audit_entries

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: datetime
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict
    note: str


@router.get("/entries", response=list[AuditOut], summary="Browse the audit trail (officials)")
@paginate(BoundedPages, page_size=50)
def list_entries(
    request, target_type: Code = "", target_id: Code = "", actor: Search = "", action: Code = ""
):
    require_cap(request.auth, Cap.AUDIT_VIEW)
    return visible_audit_entries(
        request.auth, target_type=target_type, target_id=target_id, actor=actor, action=action
    )
