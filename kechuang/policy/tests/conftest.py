import datetime as dt

import pytest

from kechuang.accounts.models import Role
from kechuang.policy import services
from kechuang.registry.models import CertificationKind, DepartmentType, OrganisationKind
from kechuang.registry.services import do_add_certification
from kechuang.testing import make_org, make_user, record_indicators

WAN = 1_000_000  # fen in 1万元


@pytest.fixture
def firms(acme, globex):
    """acme (Nanning, high-tech and a gazelle recognised in 2023, self-funded R&D) and globex (Liuzhou) both grew
    their R&D from 2023 to 2024."""
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
    record_indicators(acme, 2024, rd_self_funded=500 * WAN)
    for kind in (CertificationKind.HIGH_TECH, CertificationKind.GAZELLE):
        do_add_certification(
            acme, kind=kind, valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2025, 12, 31), acting_user=None
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
    def make(budget=1_000 * WAN, mode="screen", notice_days=None, name="2024年度第一批", **extra):
        return services.do_create_round(
            fund,
            name,
            year=2024,
            budget_fen=budget,
            mode=mode,
            notice_days=notice_days,
            acting_user=reviewer,
            **extra,
        )

    return make


# ---- the review chain's people: county → city → 联合会审 (five departments) → 财政 concurrence → approval;
# approving, paying and reconciling are three different people.


def _department(name, department_type, region="450103"):
    org = make_org(
        name,
        kind=OrganisationKind.GOVERNMENT,
        region=region,
        registration="11",
        credit_code=None,
        industry=None,
    )
    org.department_type = department_type
    org.save(update_fields=["department_type"])
    return org


@pytest.fixture
def departments(department):
    """The five departments of the 联合会审; the S&T department is the root `department` fixture."""
    return {
        DepartmentType.SCIENCE: department,
        DepartmentType.FINANCE: _department("广西壮族自治区财政厅", DepartmentType.FINANCE),
        DepartmentType.INDUSTRY: _department("广西壮族自治区工业和信息化厅", DepartmentType.INDUSTRY),
        DepartmentType.TAX: _department("国家税务总局广西壮族自治区税务局", DepartmentType.TAX),
        DepartmentType.STATISTICS: _department("广西壮族自治区统计局", DepartmentType.STATISTICS),
    }


@pytest.fixture
def signers(departments):
    """One provincial reviewer per department of the 联合会审."""
    return {dt: make_user(f"sign_{dt}", org=org, role=Role.REVIEWER) for dt, org in departments.items()}


@pytest.fixture
def finance_approver(departments):
    return make_user("finance1", org=departments[DepartmentType.FINANCE], role=Role.APPROVER)


@pytest.fixture
def payer(department):
    """A second approver of the S&T department: creates the payment batch (not the one who approved)."""
    return make_user("payer1", org=department, role=Role.APPROVER)


@pytest.fixture
def reconciler(departments):
    """A finance-department approver who reads the bank's return file (neither approver nor payer)."""
    return make_user("treasury1", org=departments[DepartmentType.FINANCE], role=Role.APPROVER)


@pytest.fixture
def city_bureaus(db):
    return {
        "450100": _department("南宁市科学技术局", DepartmentType.SCIENCE, region="450100"),
        "450200": _department("柳州市科学技术局", DepartmentType.SCIENCE, region="450200"),
    }


@pytest.fixture
def local_reviewers(city_bureaus, liuzhou_reviewer):
    """County reviewers for acme's county (青秀区) and globex's (城中区); city reviewers of 南宁 and 柳州."""
    return {
        "qingxiu": make_user("qingxiu1", org=city_bureaus["450100"], role=Role.REVIEWER, city="450103"),
        "chengzhong": make_user("chengzhong1", org=city_bureaus["450200"], role=Role.REVIEWER, city="450202"),
        "nanning": make_user("nanning1", org=city_bureaus["450100"], role=Role.REVIEWER, city="450100"),
        "liuzhou": liuzhou_reviewer,
    }


def bank_file(batch, *, status="成功", override=None, extra_rows=()) -> bytes:
    """The bank's return file (CSV) for a batch: every payment with `status`, with per-reference overrides."""
    lines = ["reference,account,amount,status,bank_reference"]
    for p in batch.payments.order_by("id"):
        row = {"reference": p.reference, "account": p.account, "amount": f"{p.amount_fen / 100:.2f}"}
        row["status"], row["bank_reference"] = status, f"B{p.pk:08d}"
        row.update((override or {}).get(p.reference, {}))
        lines.append(
            ",".join(str(row[k]) for k in ("reference", "account", "amount", "status", "bank_reference"))
        )
    lines += [",".join(r) for r in extra_rows]
    return ("\n".join(lines) + "\n").encode()


def end_notice(round_):
    """Let the 公示's working days pass: the period is moved into the past as if it had started earlier (the
    round's own dates; nothing else changes)."""
    from kechuang.policy.models import Round

    today = dt.date.today()
    Round.objects.filter(pk=round_.pk, notice_ends__isnull=False).update(
        notice_starts=today - dt.timedelta(days=30), notice_ends=today - dt.timedelta(days=1)
    )
    round_.refresh_from_db()
    return round_


@pytest.fixture
def chain(reviewer, local_reviewers, signers, finance_approver, approver, payer, reconciler):
    """Drive a round through the real chain with the right person at each step."""

    class Chain:
        def review(self, round_):
            for who in ("qingxiu", "chengzhong"):
                services.do_county_review_all(round_, acting_user=local_reviewers[who])
            for who in ("nanning", "liuzhou"):
                services.do_city_review_all(round_, acting_user=local_reviewers[who])
            services.do_start_joint_review(round_, acting_user=reviewer)

        def sign(self, round_, vetoes=None):
            for kind, user in signers.items():
                services.do_joint_signoff(round_, acting_user=user, vetoes=(vetoes or {}).get(kind))

        def to_notice(self, round_, vetoes=None):
            self.review(round_)
            self.sign(round_, vetoes)
            services.do_complete_joint_review(round_, acting_user=reviewer)
            round_.refresh_from_db()
            return round_

        def approve(self, round_):
            services.do_concur_round(round_, acting_user=finance_approver)
            end_notice(round_)
            services.do_approve_round(round_, acting_user=approver)
            round_.refresh_from_db()
            return round_

        def pay(self, round_):
            batch = services.do_create_payment_batch(round_, acting_user=payer)
            services.do_reconcile_batch(batch, bank_file(batch), "return.csv", acting_user=reconciler)
            round_.refresh_from_db()
            return batch

        def all(self, round_):
            self.to_notice(round_)
            self.approve(round_)
            return self.pay(round_)

    return Chain()
