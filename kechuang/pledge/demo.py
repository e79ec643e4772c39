"""Demo data for the pledge platform, made through the real services (so every step is audited like real use).

Needs the registry's demo province (`manage.py seed_demo`). Organisations without a login get a service account
with an unusable password (`pl-<id>`), which acts for them.
"""

import datetime as dt
import random

from django.db import transaction

from kechuang import codes
from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.errors import DomainError
from kechuang.pledge import services
from kechuang.pledge.models import (
    CooperationModel,
    LegalStatus,
    LoanApplication,
    LoanProduct,
)
from kechuang.registry.models import Organisation, OrganisationKind

TITLES = [
    "一种铝合金型材挤压模具",
    "一种甘蔗糖蜜发酵工艺",
    "一种新能源汽车电池包壳体",
    "一种桑蚕丝脱胶方法",
    "一种工程机械液压系统",
    "一种中药提取物及其制备方法",
    "一种智能配电终端",
    "一种芒果保鲜处理方法",
    "一种稀土发光材料",
    "一种桉木单板干燥装置",
]
IPC = [
    "B21C 25/02",
    "C12P 7/06",
    "H01M 50/20",
    "D01C 3/00",
    "F15B 11/00",
    "A61K 36/00",
    "H02J 13/00",
    "A23B 7/10",
    "C09K 11/77",
    "F26B 17/00",
]
PRODUCTS = [
    ("知识产权质押贷", "IP Pledge Loan"),
    ("科技专利贷", "Tech Patent Loan"),
    ("知易贷", "Zhiyi Loan"),
    ("专利快贷", "Patent Express Loan"),
]
SCHEMES = {
    CooperationModel.BANK: (5000, 0, 0, 5000),
    CooperationModel.BANK_INSURANCE: (3000, 4000, 0, 3000),
    CooperationModel.BANK_GUARANTEE: (2000, 0, 5000, 3000),
    CooperationModel.BANK_INSURANCE_GUARANTEE: (2000, 3000, 3000, 2000),
}


def actor_for(org: Organisation) -> User:
    user = (
        User.objects.filter(organisation=org, role__in=[Role.MEMBER, Role.ORG_ADMIN], is_active=True)
        .order_by("id")
        .first()
    )
    if user is None:
        user = do_create_user(
            f"pl-{org.pk}",
            None,
            organisation=org,
            role=Role.MEMBER,
            display_name=org.name[:100],
            acting_user=None,
            check_password=False,
        )
    return user


def _number(rng, year: int, type_digit: str) -> str:
    digits = f"{year}{type_digit}{rng.randint(0, 9_999_999):07d}"
    return f"{digits}.{codes.patent_check_digit(digits)}"


def seed_pledge_demo(
    *, enterprises: int = 60, seed: int = 2026, first_year: int = 2023, progress=None
) -> dict:
    rng = random.Random(seed)
    today = dt.date.today()
    official = (
        User.objects.filter(role__in=[Role.ADMIN, Role.APPROVER], is_active=True).order_by("id").first()
    )
    if official is None:
        raise RuntimeError("run manage.py seed_demo first (it creates the officials)")
    with transaction.atomic():
        for model, (bank, ins, gua, fund) in SCHEMES.items():
            services.do_configure_risk_scheme(
                acting_user=official,
                cooperation_model=model,
                bank_bp=bank,
                insurer_bp=ins,
                guarantor_bp=gua,
                fund_bp=fund,
                effective_from=dt.date(2019, 1, 1),
                document_number="（示例，未核实）",
            )
    banks = list(Organisation.objects.filter(kind=OrganisationKind.BANK).order_by("id"))
    insurers = list(Organisation.objects.filter(kind=OrganisationKind.INSURER).order_by("id"))
    guarantors = list(Organisation.objects.filter(kind=OrganisationKind.GUARANTOR).order_by("id"))
    for i, bank in enumerate(banks):
        if LoanProduct.objects.filter(bank=bank).exists():
            continue
        zh, en = PRODUCTS[i % len(PRODUCTS)]
        models = (
            [m.value for m in CooperationModel]
            if i % 3
            else [CooperationModel.BANK, CooperationModel.BANK_INSURANCE]
        )
        services.do_publish_product(
            acting_user=actor_for(bank),
            texts={
                "zh-hans": {"name": zh, "description": f"{bank.name}面向科技型中小企业的专利权质押贷款。"},
                "en": {
                    "name": en,
                    "description": f"Patent-pledge loans by {bank.name_en or bank.name} for tech SMEs.",
                },
            },
            min_amount_fen=rng.choice([50, 100]) * 1_000_000,
            max_amount_fen=rng.choice([1000, 2000, 3000]) * 1_000_000,
            max_term_months=rng.choice([24, 36]),
            rate_bp=rng.choice([345, 365, 385, 395, 420, 450]),
            patent_types=["invention", "utility"] if i % 4 else ["invention"],
            models_supported=models,
            requires_valuation=bool(i % 2),
            max_ltv_bp=rng.choice([3000, 4000, 5000]),
            regions=[] if i < 5 else [bank.city_id, "450200", "450300"],
        )
    firms = list(
        Organisation.objects.filter(
            kind=OrganisationKind.ENTERPRISE, industry_section__in=["C", "I", "M"]
        ).order_by("id")[:enterprises]
    )
    demo = User.objects.filter(username="enterprise").select_related("organisation").first()
    if demo and demo.organisation and demo.organisation not in firms:
        firms.insert(0, demo.organisation)
    made = {"enterprises": 0, "loans": 0}
    for n, firm in enumerate(firms):
        user = actor_for(firm)
        year = rng.randint(first_year, today.year)
        patents = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            kind = rng.choice(["1", "1", "2"])
            filed = dt.date(
                rng.randint(2012 if kind == "1" else 2018, 2021), rng.randint(1, 12), rng.randint(1, 28)
            )
            t = rng.randrange(len(TITLES))
            try:
                patents.append(
                    services.do_register_patent(
                        acting_user=user,
                        application_number=_number(rng, filed.year, kind),
                        title=TITLES[t],
                        filing_date=filed,
                        grant_date=filed + dt.timedelta(days=rng.randint(300, 900)),
                        fee_paid_until=dt.date(today.year + 1, filed.month, filed.day),
                        legal_status=LegalStatus.GRANTED,
                        ipc=IPC[t],
                    )
                )
            except DomainError:
                continue
        if not patents:
            continue
        try:
            need = services.do_publish_need(
                acting_user=user,
                amount_fen=rng.choice([100, 200, 300, 500, 800, 1000]) * 1_000_000,
                term_months=rng.choice([12, 12, 24]),
                purpose=rng.choice(["购置研发设备", "补充流动资金", "新产品试制", "技术改造"]),
                patent_ids=[p.pk for p in patents],
                preferred_model=rng.choice(
                    [
                        "",
                        CooperationModel.BANK,
                        CooperationModel.BANK_INSURANCE,
                        CooperationModel.BANK_INSURANCE_GUARANTEE,
                    ]
                ),
            )
        except DomainError:
            continue
        made["enterprises"] += 1
        if n % 5 == 4:
            continue  # some needs wait for a bank
        from kechuang.pledge.matching import products_for_need

        ranked = products_for_need(need)
        if not ranked:
            continue
        product = ranked[min(len(ranked) - 1, rng.randint(0, 1))][0]
        app = services.do_apply(need, product, acting_user=user)
        made["loans"] += 1
        banker = actor_for(product.bank)
        start = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
        start = min(start, today - dt.timedelta(days=40))
        stage = rng.random()
        if stage < 0.1:
            continue
        services.do_record_valuation(
            app,
            acting_user=banker,
            method=rng.choice(["income", "market", "cost"]),
            valuer="广西桂华资产评估有限公司",
            report=f"桂华评报字〔{start.year}〕{rng.randint(10, 999)}号",
            valuation_fen=app.amount_fen * rng.choice([4, 5, 6]),
            fee_fen=rng.choice([15_000, 20_000, 30_000]) * 100,
            valued_on=start,
        )
        if stage < 0.15:
            services.do_reject(app, acting_user=banker, reason="企业经营现金流不足")
            continue
        model = app.cooperation_model
        services.do_approve_credit(
            app,
            acting_user=banker,
            amount_fen=app.amount_fen,
            rate_bp=product.rate_bp,
            insurer_id=rng.choice(insurers).pk
            if CooperationModel.needs_insurer(model) and insurers
            else None,
            guarantor_id=rng.choice(guarantors).pk
            if CooperationModel.needs_guarantor(model) and guarantors
            else None,
            insurance_premium_fen=app.amount_fen // 100,
            guarantee_fee_fen=app.amount_fen // 80,
            approved_on=start + dt.timedelta(days=7),
        )
        registered = start + dt.timedelta(days=14)
        try:
            services.do_register_pledge(
                app,
                acting_user=banker,
                registration_number=f"Y{registered.year}45{rng.randint(100000, 999999)}",
                registered_on=registered,
            )
        except DomainError:
            continue
        services.do_disburse(app, acting_user=banker, disbursed_on=registered + dt.timedelta(days=3))
        app.refresh_from_db()
        for inst in app.instalments.filter(due_date__lt=today).order_by("seq")[: rng.randint(1, 12)]:
            services.do_record_repayment(
                app,
                acting_user=banker,
                principal_fen=inst.principal_fen,
                interest_fen=inst.interest_fen,
                paid_on=inst.due_date,
            )
        app.refresh_from_db()
        if app.status == "disbursed" and stage > 0.9:
            app = services.do_declare_default(
                app, acting_user=banker, defaulted_on=min(today, app.disbursed_on + dt.timedelta(days=200))
            )
            for share in services.do_share_risk(app, acting_user=banker):
                if share.party == "fund":
                    services.do_pay_risk_share(
                        share,
                        acting_user=official,
                        paid_on=min(today, app.defaulted_on + dt.timedelta(days=60)),
                    )
                elif share.organisation_id and share.party != "bank":
                    services.do_pay_risk_share(
                        share,
                        acting_user=actor_for(share.organisation),
                        paid_on=min(today, app.defaulted_on + dt.timedelta(days=45)),
                    )
        if progress:
            progress(n + 1, len(firms))
    made["applications"] = LoanApplication.objects.count()
    return made


def seed_demo(*, seed: int) -> str:
    """Hook for `manage.py seed_demo`."""
    summary = seed_pledge_demo(seed=seed)
    return (
        ", ".join(f"{key} {value}" for key, value in summary.items())
        if isinstance(summary, dict)
        else str(summary)
    )
