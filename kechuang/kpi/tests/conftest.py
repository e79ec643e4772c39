"""A fixture whose answers are known, for every KPI of the 三百二千 definitions (see test_counting.py)."""

import datetime as dt

import pytest

from kechuang.projects.models import ApplicationStatus, LineKind
from kechuang.registry.models import CertificationKind
from kechuang.registry.services import do_add_certification
from kechuang.testing import make_org

D = dt.date


def cert(org, start, end, number):
    return do_add_certification(
        org, kind=CertificationKind.HIGH_TECH, valid_from=start, valid_to=end, number=number, acting_user=None
    )


def project(line, *, year, deadline, unit, status, creator, title):
    """Projects of past calls (the services open calls only with a future deadline), written directly."""
    from kechuang.projects.models import Application, ProjectCall, Topic

    call, _ = ProjectCall.objects.get_or_create(
        line=line,
        year=year,
        defaults={"name": f"{year} {line.name}", "deadline": deadline, "status": "closed"},
    )
    topic, _ = Topic.objects.get_or_create(
        call=call, code="T01", defaults={"title": "方向", "budget_fen": 10**9}
    )
    return Application.objects.create(
        call=call,
        topic=topic,
        unit=unit,
        recommender=unit,
        title=title,
        summary="摘要",
        pi_name="张三",
        fiscal_fen=100 * 1_000_000,
        status=status,
        created_by=creator,
    )


@pytest.fixture
def known(db, department, reviewer, admin_user):
    """Nanning: A (first certificate 2018-03), D (lapsed end of 2018), E (first certificate 2021);
    Liuzhou: B (2015–2017, renewed 2018–2020), C (first certificate 2019-06).

    Answers: new_hightech (gross, first recognitions 2018–2020) = 2 (A 2018-03 Nanning, C 2019-06 Liuzhou);
    hightech_net = +1 (stock {B, D} on 2017-12-31 → {A, B, C} on 2020-12-31: A +1 2018-03, D −1 2019-01, C +1
    2019-06); achievements_transferred = 3 (transfer 2019-05, licensing 2020-01, development 2018-07; consulting
    and a 2021 contract excluded); major_technologies = 2 (major funded 2018, key R&D finished 2019; a guidance
    project and a submitted one excluded)."""
    from kechuang.projects.models import ProgrammeLine
    from kechuang.techmarket.services import do_register_contract

    a = make_org("南宁甲科技有限公司", region="450103")
    d = make_org("南宁丁科技有限公司", region="450103")
    e = make_org("南宁戊科技有限公司", region="450103")
    b = make_org("柳州乙机械有限公司", region="450202")
    c = make_org("柳州丙材料有限公司", region="450202")
    cert(a, D(2018, 3, 1), D(2021, 2, 28), "GR201845000001")
    cert(b, D(2015, 1, 1), D(2017, 12, 31), "GR201545000002")
    cert(b, D(2018, 1, 1), D(2020, 12, 31), "GR201845000003")
    cert(c, D(2019, 6, 1), D(2022, 5, 31), "GR201945000004")
    cert(d, D(2016, 1, 1), D(2018, 12, 31), "GR201645000005")
    cert(e, D(2021, 1, 1), D(2023, 12, 31), "GR202145000006")
    for number, kind, seller, signed, amount in (
        ("2019450100000001", "transfer", a, D(2019, 5, 10), 50 * 1_000_000),
        ("2020450200000002", "licensing", c, D(2020, 1, 20), 30 * 1_000_000),
        ("2018450100000003", "development", d, D(2018, 7, 1), 20 * 1_000_000),
        ("2019450100000004", "consulting", a, D(2019, 2, 1), 5 * 1_000_000),
        ("2021450200000005", "transfer", b, D(2021, 3, 1), 10 * 1_000_000),
    ):
        do_register_contract(
            acting_user=reviewer,
            registration_number=number,
            kind=kind,
            title=f"合同 {number}",
            seller=seller,
            buyer_name="某买方",
            amount_fen=amount,
            tech_income_fen=amount,
            signed_on=signed,
        )
    major = ProgrammeLine.objects.create(kind=LineKind.MAJOR, name="重大专项", department=department)
    key_rd = ProgrammeLine.objects.create(kind=LineKind.KEY_RD, name="重点研发计划", department=department)
    guidance = ProgrammeLine.objects.create(kind=LineKind.GUIDANCE, name="引导专项", department=department)
    project(
        major,
        year=2018,
        deadline=D(2018, 4, 30),
        unit=a,
        status=ApplicationStatus.FUNDED,
        creator=admin_user,
        title="重大一",
    )
    project(
        key_rd,
        year=2019,
        deadline=D(2019, 5, 31),
        unit=c,
        status=ApplicationStatus.FINISHED,
        creator=admin_user,
        title="重点二",
    )
    project(
        guidance,
        year=2019,
        deadline=D(2019, 5, 31),
        unit=a,
        status=ApplicationStatus.FUNDED,
        creator=admin_user,
        title="引导三",
    )
    project(
        major,
        year=2018,
        deadline=D(2018, 4, 30),
        unit=b,
        status=ApplicationStatus.SUBMITTED,
        creator=admin_user,
        title="重大四",
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.fixture
def computed(known):
    """The known records with their 2019 snapshot computed (as the background refresh would have)."""
    from kechuang.kpi import services

    return services.do_refresh_snapshot(2019)
