"""JSON API of the programme projects: the applications a user may see, one application with its formal-check
reasons and 查重 passages, submitting one's own application and running the formal check. Same services and
permission rules as the pages."""

from ninja import Router, Schema

from kechuang.bounds import Id
from kechuang.permissions.projects import access_application_by_id, visible_applications
from kechuang.projects import services

router = Router(tags=["projects"])


class ApplicationOut(Schema):
    id: int
    call: str
    title: str
    unit: str
    pi_name: str
    status: str
    fiscal_fen: int
    self_fen: int
    budget: dict[str, int]
    formal_reasons: list[dict]


def _out(app) -> dict:
    return {
        "id": app.pk,
        "call": app.call.name,
        "title": app.title,
        "unit": app.unit.name,
        "pi_name": app.pi_name,
        "status": app.status,
        "fiscal_fen": app.fiscal_fen,
        "self_fen": app.self_fen,
        "budget": dict(app.budget_lines.values_list("category", "amount_fen")),
        "formal_reasons": app.formal_reasons,
    }


@router.get("/applications", response=list[ApplicationOut])
def list_applications(request, page: int = 1):
    page = max(1, min(page, 10_000))
    qs = visible_applications(request.auth).order_by("-created_at")[(page - 1) * 50 : page * 50]
    return [_out(a) for a in qs]


@router.get("/applications/{application_id}", response=ApplicationOut)
def get_application(request, application_id: Id):
    return _out(access_application_by_id(request.auth, application_id))


@router.post("/applications/{application_id}/submit", response=ApplicationOut)
def submit(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_submit(app, acting_user=request.auth))


@router.post("/applications/{application_id}/formal-check", response=ApplicationOut)
def formal_check(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_formal_check(app, acting_user=request.auth))
