"""The JSON API: one NinjaAPI, one router per domain app, one error format.

Every endpoint calls the same service functions as the HTML views.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from kechuang.accounts.api import router as accounts_router
from kechuang.accounts.auth import ApiTokenAuth, SessionAuthWithCsrf
from kechuang.audit.api import router as audit_router
from kechuang.awards.api import router as awards_router
from kechuang.errors import DomainError, ErrorCode
from kechuang.events.api import router as events_router
from kechuang.fieldwork.api import router as fieldwork_router
from kechuang.jobs.api import router as jobs_router
from kechuang.kpi.api import router as kpi_router
from kechuang.platforms.api import router as platforms_router
from kechuang.pledge.api import router as pledge_router
from kechuang.policy.api import router as policy_router
from kechuang.projects.api import router as projects_router
from kechuang.registry.api import router as registry_router
from kechuang.review.api import router as review_router
from kechuang.talent.api import router as talent_router
from kechuang.techmarket.api import router as techmarket_router


class ErrorOut(Schema):
    """Every refusal: a stable code (kechuang.errors.ErrorCode), a message in the caller's language, details."""

    code: str
    message: str
    details: dict | list | None = None


ERROR_STATUSES = {
    400: "Refused: the request cannot be carried out as asked (see `code`)",
    401: "Authentication required",
    403: "Forbidden: the caller may see the object but not do this",
    404: "Not found, or not visible to the caller",
    409: "Conflict with the object's current state",
    422: "Invalid input: out of range, wrong type, missing or null",
}


THROTTLED = "Too many requests without authentication from this client address; try again later"


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class JsonParser(Parser):
    """JSON bodies whose strings the database can store: a lone UTF-16 surrogate (`"\\ud800"`) is not text."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_lone_surrogate(data):
            raise ValueError("lone surrogate in a string")
        return data


class KechuangAPI(NinjaAPI):
    _schemas: dict = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Every operation documents the error statuses it can answer, with the one error body. Built once per
        prefix (the routers do not change after start-up; building takes about half a second)."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = self._build_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return copy.deepcopy(self._schemas[key])

    def _build_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Error"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                public = "security" not in operation
                for status, description in ERROR_STATUSES.items():
                    if status == 401 and public:
                        continue
                    operation["responses"].setdefault(status, {"description": description, "content": body})
                if public and method != "get":  # kechuang/web/throttle.py
                    operation["responses"].setdefault(429, {"description": THROTTLED, "content": body})
        return schema


api = KechuangAPI(
    title="kechuang 科创 API",
    version="1",
    description="Provincial S&T innovation service platform. Authenticate with `Authorization: Bearer <token>`.",
    auth=[ApiTokenAuth(), SessionAuthWithCsrf()],
    docs_url="/docs",
    urls_namespace="api",
    parser=JsonParser(),
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


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = {401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND}
    return api.create_response(
        request, error_body(code.get(exc.status_code, ErrorCode.INVALID), str(exc)), status=exc.status_code
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
api.add_router("/projects", projects_router)
api.add_router("/kpi", kpi_router)
api.add_router("/awards", awards_router)
api.add_router("/talent", talent_router)
api.add_router("/platforms", platforms_router)
api.add_router("/fieldwork", fieldwork_router)
