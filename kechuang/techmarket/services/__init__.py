"""Every change in the technology market goes through these functions: permission-checked, atomic, audited.

One module per topic (as Zulip's `actions`); the public functions are re-exported here, so callers write
`from kechuang.techmarket import services` and `services.do_create_listing(...)`.
"""

from kechuang.techmarket.errors import MarketError
from kechuang.techmarket.services.checks import (
    LANGUAGES,
    MAX_PATENTS,
    MAX_TEXT,
    MAX_TITLE,
    check_text_language,
    clean_attributes,
    clean_ipc,
    clean_language,
    clean_patents,
    clean_text,
    clean_texts,
    fingerprint,
    listing_days,
    renewal_notice_days,
)
from kechuang.techmarket.services.contracts import (
    do_mark_notifications_read,
    do_record_follow_up,
    do_register_contract,
)
from kechuang.techmarket.services.listings import (
    count_view,
    do_create_listing,
    do_expire_listings,
    do_renew_listing,
    do_review_listing,
    do_set_text,
    do_submit_listing,
    do_update_listing,
    do_verify_text,
    do_withdraw_listing,
)
from kechuang.techmarket.services.negotiation import do_express_interest, do_send_message, do_set_stage

__all__ = [
    "LANGUAGES",
    "MAX_PATENTS",
    "MAX_TEXT",
    "MAX_TITLE",
    "MarketError",
    "check_text_language",
    "clean_attributes",
    "clean_ipc",
    "clean_language",
    "clean_patents",
    "clean_text",
    "clean_texts",
    "count_view",
    "do_create_listing",
    "do_expire_listings",
    "do_express_interest",
    "do_mark_notifications_read",
    "do_record_follow_up",
    "do_register_contract",
    "do_renew_listing",
    "do_review_listing",
    "do_send_message",
    "do_set_stage",
    "do_set_text",
    "do_submit_listing",
    "do_update_listing",
    "do_verify_text",
    "do_withdraw_listing",
    "fingerprint",
    "listing_days",
    "renewal_notice_days",
]
