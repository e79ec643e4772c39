import pytest

from kechuang.accounts.models import Role
from kechuang.registry.models import DepartmentType, OrganisationKind
from kechuang.testing import make_org, make_user


@pytest.fixture
def city_bureau(db):
    return make_org("南宁市科学技术局", kind=OrganisationKind.GOVERNMENT, registration="11", credit_code=None)


@pytest.fixture
def endorser(city_bureau):
    return make_user("nnkj", org=city_bureau, role=Role.REVIEWER)


@pytest.fixture
def finance(db):
    org = make_org(
        "广西壮族自治区财政厅",
        kind=OrganisationKind.GOVERNMENT,
        region="450103",
        registration="11",
        credit_code=None,
        industry=None,
    )
    org.department_type = DepartmentType.FINANCE
    org.save(update_fields=["department_type"])
    return org


@pytest.fixture
def money_people(department, finance, approver):
    """The payout chain's people besides the call's manager: finance signer and concurring approver, the S&T
    approver, a second S&T approver who makes the payment file, a finance approver who reads the bank return."""
    return {
        "finance_signer": make_user("fin_sign", org=finance, role=Role.REVIEWER),
        "finance_approver": make_user("fin_appr", org=finance, role=Role.APPROVER),
        "approver": approver,
        "payer": make_user("payer1", org=department, role=Role.APPROVER),
        "reconciler": make_user("treasury1", org=finance, role=Role.APPROVER),
    }
