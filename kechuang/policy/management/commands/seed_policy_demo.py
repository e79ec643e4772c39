"""Demo data for the policy pages: programmes owned by departments, each with its own fund; a 免申即享 round
taken through the whole review chain (区县初审 → 市级推荐 → 联合会审 → 财政会签 → 批准 → 拨付 → 银行回单), its
second batch (第二批) for what the first budget could not cover, an open application round, the high-tech
reward as its own programme, and a S&T-finance round; plus the accounts each step needs.

    python manage.py seed_demo --enterprises 300 && python manage.py seed_policy_demo
"""

import datetime as dt
import itertools

from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.codes import make_credit_code
from kechuang.jobs.queue import run_pending
from kechuang.money import yuan_text
from kechuang.policy import services
from kechuang.policy.models import Candidate, Round
from kechuang.registry.demo import DEMO_PASSWORD, REGIONAL_DEPARTMENTS
from kechuang.registry.models import DepartmentType, IndicatorSource, Organisation, OrganisationKind, Region
from kechuang.registry.services import do_create_organisation, do_record_indicator

WAN = 1_000_000
_serial = itertools.count(1)


def department(department_type: str, city: Region | None = None) -> Organisation:
    """The regional department of a type (or a city's S&T bureau), created when the registry lacks it."""
    if city is None:
        name = next(n for n, _en, t in REGIONAL_DEPARTMENTS if t == department_type)
        region = "450103"
    else:
        name, region = f"{city.name}科学技术局", city.code
    org = Organisation.objects.filter(name=name, kind=OrganisationKind.GOVERNMENT).first()
    if org is None:
        while True:
            code = make_credit_code(region, f"D{next(_serial):07d}", "11")
            if not Organisation.objects.filter(credit_code=code).exists():
                break
        org = do_create_organisation(
            acting_user=None, credit_code=code, name=name, kind=OrganisationKind.GOVERNMENT, region=region
        )
    if org.department_type != department_type:
        org.department_type = department_type
        org.save(update_fields=["department_type"])
    return org


def account(username, role, org, label, city=None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = do_create_user(
            username,
            DEMO_PASSWORD,
            organisation=org,
            role=role,
            city=city,
            display_name=label,
            acting_user=None,
            check_password=False,
        )
    return user


def simulated_bank_return(batch) -> bytes:
    """What the bank sends back for a batch it paid in full (the demo has no bank)."""
    lines = ["reference,account,amount,status,bank_reference"]
    for p in batch.payments.order_by("id"):
        lines.append(
            f"{p.reference},{p.account},{yuan_text(p.amount_fen, grouping=False)},成功,DEMO{p.pk:08d}"
        )
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Create demo payout programmes and rounds (needs seed_demo's accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args, year, **options):
        try:
            reviewer, approver = (User.objects.get(username=u) for u in ("reviewer", "approver"))
        except User.DoesNotExist:
            raise CommandError("run `manage.py seed_demo` first (demo accounts are needed)")
        self.seed_figures(year)
        made = []

        def make(username, role, org, label, city=None):
            made.append((username, label, city.name if city else ""))
            return account(username, role, org, label, city)

        depts = {t: department(t) for t in services.JOINT_REVIEW_DEPARTMENTS}
        science = reviewer.organisation
        signers = {
            t: (reviewer if org == science else make(f"joint_{t}", Role.REVIEWER, org, f"{org.name}会审人"))
            for t, org in depts.items()
        }
        finance = make("finance", Role.APPROVER, depts[DepartmentType.FINANCE], "财政厅会签人")
        treasury = make("treasury", Role.APPROVER, depts[DepartmentType.FINANCE], "财政厅国库对账员")
        payer = make("payer", Role.APPROVER, science, "科技厅资金拨付员")
        manager = make("rounds", Role.REVIEWER, science, "科技厅奖补项目管理员")

        programme_fund = services.do_create_programme_with_fund(
            "企业研发经费投入财政奖补",
            ["rd_incremental", "rd_special", "rd_hightech_gazelle"],
            fund_name=f"{year + 1}年研发奖补资金",
            fund_year=year + 1,
            budget_fen=5_000 * WAN,
            acting_user=manager,
        )
        paid = services.do_create_round(
            programme_fund,
            f"{year}年度首批（免申即享）",
            year=year,
            budget_fen=800 * WAN,
            acting_user=manager,
        )
        services.do_screen_round(paid, acting_user=manager)
        run_pending(kinds=["policy.screen"])
        self.review(paid, make)
        services.do_start_joint_review(paid, acting_user=manager)
        for user in signers.values():
            services.do_joint_signoff(paid, acting_user=user)
        services.do_complete_joint_review(paid, acting_user=manager)
        # the demo's first round is history: its 5 working days of 公示 ran in spring of the budget year
        spring = min(dt.date(year + 1, 3, 2), dt.date.today() - dt.timedelta(days=40))
        starts, ends = services.notice_period(spring, paid.notice_days)
        Round.objects.filter(pk=paid.pk).update(notice_starts=starts, notice_ends=ends)
        services.do_concur_round(paid, acting_user=finance)
        services.do_approve_round(paid, acting_user=approver)
        batch = services.do_create_payment_batch(paid, acting_user=payer)
        services.do_reconcile_batch(
            batch, simulated_bank_return(batch), f"{batch.reference}-回单.csv", acting_user=treasury
        )
        if Candidate.objects.filter(round=paid, status=Candidate.Status.CARRIED).exists():
            services.do_create_round(
                programme_fund,
                f"{year}年度第二批（首批结转）",
                year=year,
                budget_fen=1_200 * WAN,
                carried_from=paid,
                acting_user=manager,
            )
        services.do_create_round(
            programme_fund,
            f"{year}年度依申请批次",
            year=year,
            budget_fen=1_000 * WAN,
            mode="apply",
            acting_user=manager,
        )
        hightech = services.do_create_programme_with_fund(
            "高新技术企业认定奖励",
            ["hightech_new_reward"],
            fund_name=f"{year + 1}年高新技术企业认定奖励资金",
            fund_year=year + 1,
            budget_fen=1_000 * WAN,
            acting_user=manager,
        )
        services.do_create_round(
            hightech, f"{year}年度高新技术企业认定奖励", year=year, budget_fen=500 * WAN, acting_user=manager
        )
        finance_fund = services.do_create_programme_with_fund(
            "科技金融奖励",
            ["fi_establishment", "equity_fund_manager", "equity_enterprise"],
            fund_name=f"{year + 1}年科技金融奖励资金",
            fund_year=year + 1,
            budget_fen=3_000 * WAN,
            acting_user=manager,
        )
        services.do_create_round(
            finance_fund, f"{year}年度科技金融奖励", year=year, budget_fen=1_000 * WAN, acting_user=manager
        )
        self.stdout.write(
            f"paid round: {paid.name}, {yuan_text(batch.total_fen)} yuan to {batch.payments.count()} organisations"
        )
        self.stdout.write(f"accounts for the review chain (password {DEMO_PASSWORD}):")
        for username, label, city in made:
            self.stdout.write(f"  {username:<16} {label} {city}")

    def review(self, round_, make):
        """区县初审 by each city's first reviewer (a county account for 青秀区), 市级推荐 by its city reviewer."""
        cities = Region.objects.filter(
            code__in=Candidate.objects.filter(round=round_).values("organisation__city_id")
        ).order_by("code")
        qingxiu = Region.objects.filter(code="450103").first()
        for city in cities:
            bureau = department(DepartmentType.SCIENCE, city)
            if city.code == "450100" and qingxiu is not None:
                county = make("qingxiu", Role.REVIEWER, bureau, "青秀区初审员", qingxiu)
                services.do_county_review_all(round_, acting_user=county)
            first = make(f"county_{city.code}", Role.REVIEWER, bureau, f"{city.name}区县初审员", city)
            services.do_county_review_all(round_, acting_user=first)
            second = (
                User.objects.filter(username="nanning", city=city).first() if city.code == "450100" else None
            )
            second = second or make(
                f"city_{city.code}", Role.REVIEWER, bureau, f"{city.name}市级推荐员", city
            )
            services.do_city_review_all(round_, acting_user=second)

    def seed_figures(self, year):
        enterprises = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("id")[:3])
        for i, org in enumerate(enterprises):
            do_record_indicator(
                org,
                "equity_received",
                year,
                (800 + 300 * i) * WAN,
                source=IndicatorSource.FINANCIAL_REGULATION,
                reference="示例数据（地方金融监管部门：股权投资到位核实）",
                acting_user=None,
            )
        fund_manager = Organisation.objects.filter(kind=OrganisationKind.FUND_MANAGER).order_by("id").last()
        if fund_manager:
            for code, value in (
                ("equity_raised", 30_000 * WAN),
                ("equity_invested_in_guangxi", 20_000 * WAN),
                ("guidance_fund_involved", 0),
            ):
                do_record_indicator(
                    fund_manager,
                    code,
                    year,
                    value,
                    source=IndicatorSource.FINANCIAL_REGULATION,
                    reference="示例数据（地方金融监管部门：基金业协会备案与募资核实）",
                    acting_user=None,
                )
        bank = Organisation.objects.filter(kind=OrganisationKind.BANK).order_by("id").last()
        if bank:
            do_record_indicator(
                bank,
                "fi_establishment_type",
                year,
                2,
                source=IndicatorSource.FINANCIAL_REGULATION,
                reference="示例数据（地方金融监管部门）",
                acting_user=None,
            )
            do_record_indicator(
                bank,
                "paid_in_capital",
                year,
                50_000 * WAN,
                source=IndicatorSource.FINANCIAL_REGULATION,
                reference="示例数据（地方金融监管部门）",
                acting_user=None,
            )
