"""Authorisation rules of the accounts routes. See docs/permissions.md."""

from kechuang.permissions.matrix import ADMIN, ENT_A, EVERYONE, PUBLIC, SIGNED_IN, allow

ROUTES = {
    "accounts:login": PUBLIC,
    "accounts:logout": allow(EVERYONE, skip="logging out leads to the login page: nothing behind the door"),
    "accounts:password_change": allow(SIGNED_IN),
    # API tokens: administrators for anyone, an organisation's administrator for its own users.
    "accounts:tokens": allow(ADMIN, "ent_a", "ent_b"),
    "accounts:token_revoke": allow(ADMIN, ENT_A, args={"token_id": "token"}),
    "GET /api/accounts/me": allow(SIGNED_IN),
}


def objects(world):
    from kechuang.accounts.services import do_issue_api_token

    token, _key = do_issue_api_token(world.users["ent_a"], "甲的系统", acting_user=None)
    return {"token": token.pk}
