"""Authorisation rules of the technology market. The world: 甲's published listing (南宁) and 乙's interest in it
(a conversation of 乙, 甲 and the officials of 南宁). See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    ENT_A,
    ENT_B,
    EVERYONE,
    NANNING_AREA,
    OFFICIALS,
    ORG_USERS,
    PUBLIC,
    REVIEWERS,
    allow,
)

# Users who act for an organisation in the market (techmarket.listing:publish): members and organisation
# administrators, not its experts; officials review, follow up and register contracts.
PUBLISHERS = ORG_USERS
STAFF = REVIEWERS | {ADMIN}  # techmarket.listing:review, followup:record, contract:register
CONVERSATION = frozenset({ENT_A, ENT_B}) | NANNING_AREA  # the two parties and the brokers of 南宁
INTERESTED = PUBLISHERS - {ENT_A}  # anyone acting for an organisation but the owner

ROUTES = {
    "techmarket:home": PUBLIC,
    "techmarket:create": allow(PUBLISHERS),
    "techmarket:dashboard": allow(PUBLISHERS),
    "techmarket:review_queue": allow(STAFF),
    "techmarket:follow_ups": allow(STAFF),
    "techmarket:contracts": allow(OFFICIALS, PUBLISHERS, post=(STAFF,)),
    "techmarket:stats": allow(OFFICIALS),
    "techmarket:translations": allow(
        PUBLISHERS, why="owners translate theirs; 技术经纪人 every live listing"
    ),
    "techmarket:detail": PUBLIC,
    "techmarket:edit": allow(ENT_A),
    "techmarket:renew": allow(ENT_A),
    "techmarket:submit": allow(ENT_A),
    "techmarket:withdraw": allow(ENT_A),
    "techmarket:translation": allow(ENT_A),
    "techmarket:review": allow(STAFF & NANNING_AREA),
    "techmarket:interest_create": allow(INTERESTED),
    "techmarket:follow_up_create": allow(STAFF & NANNING_AREA),
    "techmarket:interest": allow(CONVERSATION),
    "GET /api/market/search": allow(EVERYONE, query={"q": "乙醇", "mode": "keyword"}),
    "GET /api/market/listings/{listing_id}": PUBLIC,
    "POST /api/market/listings": allow(PUBLISHERS),
    "POST /api/market/listings/{listing_id}/renew": allow(ENT_A),
    "POST /api/market/listings/{listing_id}/interests": allow(INTERESTED, body={"note": "有意合作"}),
    "GET /api/market/interests/{interest_id}": allow(CONVERSATION),
    "GET /api/market/interests/{interest_id}/messages": allow(CONVERSATION),
    "POST /api/market/interests/{interest_id}/messages": allow(CONVERSATION, body={"body": "你好"}),
    "GET /api/market/stats": allow(OFFICIALS),
}


def objects(world):
    from kechuang.techmarket import services
    from kechuang.techmarket.tests.conftest import ACHIEVEMENT, publish

    listing = publish(world.users["ent_a"], world.users["science"], **{**ACHIEVEMENT, "patents": []})
    interest = services.do_express_interest(listing, acting_user=world.users["ent_b"], note="有意合作")
    return {"listing": listing.pk, "interest": interest.pk}
