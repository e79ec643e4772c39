"""Demo data for the policy pages: a programme, a fund, a paid 免申即享 round and an open application round,
plus a few equity and financial-institution figures so every policy has someone to find.

    python manage.py seed_demo --enterprises 300 && python manage.py seed_policy_demo
"""

from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.registry.models import IndicatorSource, Organisation, OrganisationKind
from kechuang.registry.services import do_record_indicator

WAN = 1_000_000


class Command(BaseCommand):
    help = "Create a demo payout programme and rounds (needs seed_demo's accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args, year, **options):
        try:
            reviewer, admin, approver = (
                User.objects.get(username=u) for u in ("reviewer", "admin", "approver")
            )
        except User.DoesNotExist:
            raise CommandError("run `manage.py seed_demo` first (demo accounts are needed)")
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

        programme = services.do_create_programme(
            "企业研发经费投入财政奖补",
            ["rd_incremental", "rd_special", "rd_hightech_gazelle", "hightech_new_reward"],
            acting_user=reviewer,
        )
        fund = services.do_create_fund(
            programme, f"{year + 1}年研发奖补资金", year + 1, 5_000 * WAN, acting_user=reviewer
        )
        paid = services.do_create_round(
            fund,
            f"{year}年度第一批（免申即享）",
            year=year,
            budget_fen=2_000 * WAN,
            notice_days=0,
            acting_user=reviewer,
        )
        services.do_screen_round(paid, acting_user=reviewer)
        run_pending(kinds=["policy.screen"])
        services.do_city_review_all(paid, acting_user=reviewer)
        services.do_complete_joint_review(paid, acting_user=admin)
        services.do_approve_round(paid, acting_user=approver)
        batch = services.do_create_payment_batch(paid, acting_user=approver)
        services.do_reconcile_batch(batch, acting_user=approver)
        services.do_create_round(
            fund,
            f"{year}年度第二批（依申请）",
            year=year,
            budget_fen=1_000 * WAN,
            mode="apply",
            acting_user=reviewer,
        )
        finance = services.do_create_programme(
            "科技金融奖励",
            ["fi_establishment", "equity_fund_manager", "equity_enterprise"],
            acting_user=reviewer,
        )
        finance_fund = services.do_create_fund(
            finance, f"{year + 1}年科技金融奖励资金", year + 1, 3_000 * WAN, acting_user=reviewer
        )
        services.do_create_round(
            finance_fund, f"{year}年度科技金融奖励", year=year, budget_fen=1_000 * WAN, acting_user=reviewer
        )
        self.stdout.write(
            f"paid round: {paid.name}, {batch.total_fen / 100:,.2f} yuan to {batch.payments.count()} organisations"
        )
