import datetime as dt

import pytest

from kechuang.policy import services
from kechuang.registry.models import CertificationKind
from kechuang.registry.services import do_add_certification
from kechuang.testing import record_indicators

WAN = 1_000_000  # fen in 1万元


@pytest.fixture
def firms(acme, globex):
    """acme (Nanning, high-tech) and globex (Liuzhou) both grew their R&D from 2023 to 2024."""
    for org, (before, after) in ((acme, (300, 400)), (globex, (1000, 1600))):
        record_indicators(
            org, 2023, revenue=10_000 * WAN, rd_spending=500 * WAN, rd_super_deduction=before * WAN
        )
        record_indicators(
            org,
            2024,
            revenue=10_000 * WAN,
            rd_spending=500 * WAN,
            rd_super_deduction=after * WAN,
            employees=200,
            rd_staff=30,
        )
    do_add_certification(
        acme,
        kind=CertificationKind.HIGH_TECH,
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        acting_user=None,
    )
    return acme, globex


@pytest.fixture
def programme(reviewer):
    return services.do_create_programme(
        "企业研发经费投入财政奖补",
        ["rd_incremental", "rd_special", "rd_hightech_gazelle"],
        acting_user=reviewer,
    )


@pytest.fixture
def fund(programme, reviewer):
    return services.do_create_fund(programme, "2025年研发奖补资金", 2025, 10_000 * WAN, acting_user=reviewer)


@pytest.fixture
def make_round(fund, reviewer):
    def make(budget=1_000 * WAN, mode="screen", notice_days=0, name="2024年度第一批"):
        return services.do_create_round(
            fund, name, year=2024, budget_fen=budget, mode=mode, notice_days=notice_days, acting_user=reviewer
        )

    return make
