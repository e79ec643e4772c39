"""The listing lifecycle as a table (kechuang.states): which action is allowed from which status, and who may
take it. The services refuse through it; pages can show the buttons `available()` answers."""

from django.utils.translation import gettext_lazy as _l

from kechuang.permissions import techmarket as perm
from kechuang.states import SYSTEM, Machine
from kechuang.techmarket.models import Listing, ListingStatus

EDITOR = "editor"
REVIEWER = "reviewer"

S = ListingStatus
LISTING = Machine(
    "techmarket.listing",
    {
        S.DRAFT: {"submit": (EDITOR, S.PENDING), "withdraw": (EDITOR, S.WITHDRAWN)},
        S.PENDING: {
            "approve": (REVIEWER, S.PUBLISHED),
            "reject": (REVIEWER, S.REJECTED),
            "withdraw": (EDITOR, S.WITHDRAWN),
        },
        S.PUBLISHED: {
            "renew": (EDITOR, S.PUBLISHED),
            "expire": (SYSTEM, S.EXPIRED),
            "withdraw": (EDITOR, S.WITHDRAWN),
        },
        S.REJECTED: {"submit": (EDITOR, S.PENDING), "withdraw": (EDITOR, S.WITHDRAWN)},
        S.EXPIRED: {"renew": (EDITOR, S.PUBLISHED), "withdraw": (EDITOR, S.WITHDRAWN)},
        S.WITHDRAWN: {},
    },
    labels={
        "submit": _l("提交审核"),
        "approve": _l("审核发布"),
        "reject": _l("退回"),
        "renew": _l("续期"),
        "expire": _l("到期下架"),
        "withdraw": _l("撤回"),
    },
    parties={EDITOR: perm.can_edit_listing, REVIEWER: perm.can_review_listing},
    model=Listing,
)
