import datetime as dt

import pytest
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.policy.tests.conftest import (  # noqa: F401  (the payout chain's people, reused)
    chain,
    city_bureaus,
    departments,
    finance_approver,
    local_reviewers,
    payer,
    reconciler,
    signers,
)
from kechuang.talent import services
from kechuang.testing import make_user

TODAY = timezone.localdate()
EVIDENCE = {"contract": "HT-2025-001", "social_insurance": "SB-450100-778", "tax": "GS-2025-3321"}


def id_number(seq: int) -> str:
    """A valid 18-character resident ID (GB 11643 check digit) for test person `seq`."""
    from kechuang.talent.services.recognition import ID_CHECK, ID_WEIGHTS

    body = f"45010219850101{seq:03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


@pytest.fixture
def qingxiu(city_bureaus):  # noqa: F811  (the fixture imported above)
    """A county-level reviewer whose area covers acme (青秀区, 南宁)."""
    return make_user("qx_talent", org=city_bureaus["450100"], role=Role.REVIEWER, city="450103")


@pytest.fixture
def apply_for(alice):
    def make(seq=1, *, level="C", credential="jieqing", user=None, **extra):
        values = {
            "name": f"人才{seq}",
            "id_number": id_number(seq),
            "level": level,
            "credential": credential,
            "contract_start": TODAY - dt.timedelta(days=30),
            "contract_end": TODAY + dt.timedelta(days=5 * 366),
            "evidence": dict(EVIDENCE),
        }
        values.update(extra)
        return services.do_apply(acting_user=user or alice, **values)

    return make


@pytest.fixture
def recognise(apply_for, qingxiu, reviewer):
    """Apply, pre-check, recognise, notice and certify one person; returns the recognised application."""

    def make(seq=1, **extra):
        app = apply_for(seq, **extra)
        services.do_precheck(app, acting_user=qingxiu, passed=True, note="材料齐全")
        services.do_recognise(app, acting_user=reviewer)
        services.do_start_notice(acting_user=reviewer)
        app.refresh_from_db()
        return services.do_certify(app, acting_user=reviewer, today=app.notice_end + dt.timedelta(days=1))

    return make
