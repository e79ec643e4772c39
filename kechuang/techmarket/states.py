"""The market's lifecycles as tables (kechuang.states): which action is allowed from which status, and who may
take it. The services refuse through them; pages show the buttons `available()` answers."""

from django.utils.translation import gettext_lazy as _l

from kechuang.permissions import techmarket as perm
from kechuang.states import SYSTEM, Machine
from kechuang.techmarket.models import Interest, InterestStage, Listing, ListingStatus

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

# The talks that follow an expression of interest, between the listing's owner and the interested party (or the
# department's broker relaying an anonymous one). Stages only move forward, and may skip one (talks held offline
# are recorded late); either side may end the talks at any stage. Registering a technology contract that names
# the interest records it as contracted whatever stage it had reached: the contract is the fact.
OWNER = "owner"
INTERESTED = "interested"
BROKER = "broker"
TALKS = (OWNER, INTERESTED, BROKER)

T = InterestStage
_CONTRACT = {"record_contract": (SYSTEM, T.CONTRACTED)}
INTEREST = Machine(
    "techmarket.interest",
    {
        T.INTEREST: {
            "message": (TALKS, T.INTEREST),
            "meet": (TALKS, T.MEETING),
            "sign": (TALKS, T.SIGNING),
            "contract": (TALKS, T.CONTRACTED),
            "close": (TALKS, T.CLOSED),
            **_CONTRACT,
        },
        T.MEETING: {
            "message": (TALKS, T.MEETING),
            "sign": (TALKS, T.SIGNING),
            "contract": (TALKS, T.CONTRACTED),
            "close": (TALKS, T.CLOSED),
            **_CONTRACT,
        },
        T.SIGNING: {
            "message": (TALKS, T.SIGNING),
            "contract": (TALKS, T.CONTRACTED),
            "close": (TALKS, T.CLOSED),
            **_CONTRACT,
        },
        T.CONTRACTED: {"message": (TALKS, T.CONTRACTED), "close": (TALKS, T.CLOSED), **_CONTRACT},
        T.CLOSED: {**_CONTRACT},
    },
    labels={
        "message": _l("发送消息"),
        "meet": _l("进入洽谈"),
        "sign": _l("进入签约"),
        "contract": _l("已签合同"),
        "close": _l("终止对接"),
        "record_contract": _l("登记技术合同"),
    },
    parties={
        OWNER: lambda user, interest: perm.is_owner(user, interest.listing),
        INTERESTED: perm.is_interested_party,
        BROKER: lambda user, interest: perm.can_broker(user, interest.listing),
    },
    field="stage",
    model=Interest,
)

# The stage each stage-moving action reaches: the buttons post the action, older clients the stage.
STAGE_ACTIONS = {"meet": T.MEETING, "sign": T.SIGNING, "contract": T.CONTRACTED, "close": T.CLOSED}
