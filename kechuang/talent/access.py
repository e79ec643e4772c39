"""Authorisation rules of the talent routes: NOT YET STATED. Added when the authorisation matrix landed (the app
landed meanwhile), so that the suite lists these routes as not exercised instead of failing; the talent owner replaces
each PENDING with the intended rule and builds its objects in `objects(world)` (docs/permissions.md)."""

from kechuang.permissions.matrix import NOBODY, allow

PENDING = allow(
    NOBODY, skip="rule not yet stated by the talent owner (declared as pending at the matrix landing)"
)

ROUTES = {
    "talent:home": PENDING,
    "talent:apply": PENDING,
    "talent:application": PENDING,
    "talent:act": PENDING,
    "talent:benefits": PENDING,
    "talent:benefits_run": PENDING,
    "talent:export": PENDING,
    "talent:notice": PENDING,
    "talent:object": PENDING,
    "talent:bagui": PENDING,
    "talent:bagui_post": PENDING,
    "talent:bagui_act": PENDING,
}
