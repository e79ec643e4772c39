"""Only the department that runs an award runs its calls: a province-wide official of another department holds the
manage capability for its own work, not for awards."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.accounts.models import Role
from kechuang.awards.services import do_open_call
from kechuang.awards.tests.test_awards import TODAY
from kechuang.permissions.awards import can_manage_call
from kechuang.registry.models import DepartmentType, OrganisationKind
from kechuang.testing import make_org, make_user


def government(name, department_type):
    org = make_org(name, kind=OrganisationKind.GOVERNMENT, region="450103", registration="11", industry=None)
    org.department_type = department_type
    org.save(update_fields=["department_type"])
    return org


def test_another_department_cannot_open_or_run_an_award_call(db, call, reviewer):
    finance = government("广西壮族自治区财政厅", DepartmentType.FINANCE)
    finance_official = make_user("finance_awards", org=finance, role=Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        do_open_call(
            acting_user=finance_official,
            kind="st_award",
            year=TODAY.year + 1,
            department=finance,
            nomination_deadline=TODAY + dt.timedelta(days=30),
        )
    assert can_manage_call(reviewer, call)  # the 科技厅's own official runs it
    assert not can_manage_call(finance_official, call)
    market = government("广西壮族自治区市场监督管理局", DepartmentType.MARKET_REGULATION)
    market_official = make_user("market_awards", org=market, role=Role.REVIEWER)
    patent_call = do_open_call(
        acting_user=market_official,
        kind="patent_award",
        year=2027,
        department=market,
        nomination_deadline=dt.date(2027, 6, 1),
    )
    assert can_manage_call(market_official, patent_call) and not can_manage_call(reviewer, patent_call)
