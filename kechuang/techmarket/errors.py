"""Error codes of the technology market (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class MarketError(StrEnum):
    DUPLICATE_LISTING = "duplicate_listing"
    INVALID_PATENT = "invalid_patent"
    INVALID_IPC = "invalid_ipc"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    TEXT_REQUIRED = "text_required"
    TEXT_TOO_LONG = "text_too_long"
    DUPLICATE_CONTRACT = "duplicate_contract"
