"""The JSON API: one NinjaAPI, one router per domain app, one error format.

Every endpoint calls the same service functions as the HTML views.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from kechuang.accounts.api import router as accounts_router
from kechuang.accounts.auth import ApiTokenAuth, SessionAuthWithCsrf
from kechuang.audit.api import router as audit_router
from kechuang.errors import DomainError, ErrorCode
from kechuang.events.api import router as events_router
from kechuang.jobs.api import router as jobs_router
from kechuang.pledge.api import router as pledge_router
from kechuang.policy.api import router as policy_router
from kechuang.registry.api import router as registry_router
from kechuang.review.api import router as review_router
from kechuang.techmarket.api import router as techmarket_router

api = NinjaAPI(
    title="kechuang 科创 API",
    version="1",
    description="Provincial S&T innovation service platform. Authenticate with `Authorization: Bearer <token>`.",
    auth=[ApiTokenAuth(), SessionAuthWithCsrf()],
    docs_url="/docs",
    urls_namespace="api",
)


def error_body(code: ErrorCode, message: str, details=None) -> dict:
    body = {"code": code.value, "message": str(message)}
    if details is not None:
        body["details"] = details
    return body


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, error_body(ErrorCode.FORBIDDEN, str(exc) or "forbidden"), status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body(ErrorCode.NOT_FOUND, "not found"), status=404)


@api.exception_handler(ValidationError)
def on_django_validation(request, exc: ValidationError):
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, error_body(ErrorCode.INVALID, "invalid input", details), status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request, exc: NinjaValidationError):
    return api.create_response(
        request, error_body(ErrorCode.INVALID, "invalid input", exc.errors), status=422
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, error_body(ErrorCode.UNAUTHENTICATED, "authentication required"), status=401
    )


api.add_router("/accounts", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/jobs", jobs_router)
api.add_router("/registry", registry_router)
api.add_router("/policy", policy_router)
api.add_router("/market", techmarket_router)
api.add_router("/events", events_router)
api.add_router("/pledge", pledge_router)
api.add_router("/review", review_router)
