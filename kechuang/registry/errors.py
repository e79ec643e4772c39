"""Error codes of the organisation registry (the API returns them; the UI shows the translated message).
Codes several apps raise about shared reference data (credit codes, regions, industries) stay in
kechuang.errors.ErrorCode."""

from enum import StrEnum


class RegistryError(StrEnum):
    IMPORT_REJECTED = "import_rejected"
    SOURCE_NOT_ALLOWED = "source_not_allowed"
    AUTHORITATIVE_VALUE = "authoritative_value"
    REVIEW_REQUIRED = "review_required"
