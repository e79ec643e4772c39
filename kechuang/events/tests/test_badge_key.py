"""A badge is signed with this installation's key and the badge salt; the old built-in key signs nothing valid."""

import pytest
from django.core import signing

from kechuang.errors import DomainError
from kechuang.events import services
from kechuang.events.errors import EventError
from kechuang.events.services import BADGE_SALT

OLD_BUILT_IN_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"


def test_a_badge_signed_with_the_old_built_in_key_is_refused_at_check_in(event, admin_user, registered):
    a, _b = registered
    forged = signing.dumps({"r": a.pk, "e": event.pk}, key=OLD_BUILT_IN_KEY, salt=BADGE_SALT, compress=True)
    with pytest.raises(DomainError) as exc:
        services.do_check_in(event, forged, acting_user=admin_user)
    assert exc.value.code == EventError.BAD_BADGE
    a.refresh_from_db()
    assert a.checked_in_at is None


def test_a_value_signed_for_another_purpose_is_not_a_badge(event, admin_user, registered):
    a, _b = registered
    other = signing.dumps({"r": a.pk, "e": event.pk}, compress=True)  # the default salt: not a badge
    with pytest.raises(DomainError) as exc:
        services.do_check_in(event, other, acting_user=admin_user)
    assert exc.value.code == EventError.BAD_BADGE
