"""Stable error codes shared by the API and the UI.

The API returns `code`; the UI shows the translated message. Domain apps raise DomainError from services.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    CONFLICT = "conflict"
    THROTTLED = "throttled"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    DUPLICATE_CREDIT_CODE = "duplicate_credit_code"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_INDUSTRY = "unknown_industry"
    FILE_TOO_LARGE = "file_too_large"
    BAD_FILE = "bad_file"
    INVALID_STATE = "invalid_state"
    BUDGET_EXCEEDED = "budget_exceeded"
    NOT_COMPUTABLE = "not_computable"


class DomainError(Exception):
    """A refusal the user can act on: a stable code (ErrorCode or an app's own enum in its errors.py), a translated
    message, optional details."""

    status = 400

    def __init__(self, code: StrEnum, message, details=None, status: int | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details
        if status is not None:
            self.status = status


class StateError(DomainError):
    status = 409

    def __init__(self, message, details=None):
        super().__init__(ErrorCode.INVALID_STATE, message, details)
