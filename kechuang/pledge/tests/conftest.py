import datetime as dt
import itertools

import pytest

from kechuang import codes
from kechuang.accounts.models import Role
from kechuang.pledge import services
from kechuang.pledge.models import CooperationModel, LegalStatus
from kechuang.registry.models import OrganisationKind
from kechuang.testing import make_org, make_user

_serial = itertools.count(1000)


def app_number(year: int | None = None, type_digit: str = "1") -> str:
    year = year or dt.date.today().year - 3
    digits = f"{year}{type_digit}{next(_serial):07d}"
    return f"{digits}.{codes.patent_check_digit(digits)}"


def add_patent(user, *, type_digit="1", years_ago=3, **fields):
    filing = dt.date.today().replace(month=1, day=15) - dt.timedelta(days=0)
    filing = filing.replace(year=filing.year - years_ago)
    defaults = {
        "title": "一种铝合金轮毂的热处理方法",
        "grant_date": filing + dt.timedelta(days=400),
        "fee_paid_until": dt.date.today() + dt.timedelta(days=200),
        "legal_status": LegalStatus.GRANTED,
        "ipc": "C22F 1/04",
    }
    defaults.update(fields)
    return services.do_register_patent(
        acting_user=user,
        application_number=app_number(filing.year, type_digit),
        filing_date=filing,
        **defaults,
    )


def publish_product(user, **fields):
    defaults = {
        "texts": {
            "zh-hans": {"name": "知识产权质押贷", "description": "专利质押"},
            "en": {"name": "IP Pledge Loan", "description": "Patent pledge"},
        },
        "min_amount_fen": 100_000_00,
        "max_amount_fen": 10_000_000_00,
        "max_term_months": 36,
        "rate_bp": 385,
        "patent_types": ["invention", "utility"],
        "models_supported": [m.value for m in CooperationModel],
        "requires_valuation": True,
        "max_ltv_bp": 5000,
    }
    defaults.update(fields)
    return services.do_publish_product(acting_user=user, **defaults)


@pytest.fixture
def icbc(db):
    return make_org("工商银行广西分行", kind=OrganisationKind.BANK, industry="J")


@pytest.fixture
def bocom(db):
    return make_org("交通银行广西分行", kind=OrganisationKind.BANK, industry="J")


@pytest.fixture
def banker(icbc):
    return make_user("banker", org=icbc, role=Role.MEMBER)


@pytest.fixture
def other_banker(bocom):
    return make_user("otherbanker", org=bocom, role=Role.MEMBER)


@pytest.fixture
def picc(db):
    return make_org("人保财险广西分公司", kind=OrganisationKind.INSURER, industry="J")


@pytest.fixture
def insurer_user(picc):
    return make_user("insurer1", org=picc, role=Role.MEMBER)


@pytest.fixture
def sme_guarantee(db):
    return make_org("广西中小企业融资担保有限公司", kind=OrganisationKind.GUARANTOR, industry="J")


@pytest.fixture
def guarantor_user(sme_guarantee):
    return make_user("guarantor1", org=sme_guarantee, role=Role.MEMBER)


@pytest.fixture
def patent(alice):
    return add_patent(alice)


@pytest.fixture
def product(banker):
    return publish_product(banker)


@pytest.fixture
def need(alice, patent):
    return services.do_publish_need(
        acting_user=alice,
        amount_fen=2_000_000_00,
        term_months=12,
        purpose="购买生产设备",
        patent_ids=[patent.pk],
        preferred_model=CooperationModel.BANK_INSURANCE,
    )


@pytest.fixture
def application(alice, need, product):
    return services.do_apply(need, product, acting_user=alice)


def run_to_disbursed(app, banker, picc, *, amount_fen=1_000_000_00, rate_bp=400):
    services.do_record_valuation(
        app,
        acting_user=banker,
        method="income",
        valuer="广西中联资产评估",
        report="桂评报字〔2026〕12号",
        valuation_fen=5_000_000_00,
        fee_fen=30_000_00,
    )
    services.do_approve_credit(
        app,
        acting_user=banker,
        amount_fen=amount_fen,
        rate_bp=rate_bp,
        insurer_id=picc.pk,
        insurance_premium_fen=20_000_00,
    )
    services.do_register_pledge(app, acting_user=banker, registration_number="Y2026450000123")
    services.do_disburse(app, acting_user=banker)
    app.refresh_from_db()
    return app
