"""In Debian's Chromium: one project from the call to acceptance. The unit applies, the recommending unit endorses,
the department checks, sends to review, ranks, decides and publishes the notice (read by the public without an
account), draws up the contract that both sides sign, sends due milestones to the payout workflow, checks the
mid-term report and concludes the acceptance. The experts' scoring (review engine) and the payout chain's
signatures, approval, payment file and bank return (policy app) run through their services; both have their own
browser tests."""

import pytest
from django.utils import timezone

from kechuang.projects.models import Application, ApplicationStatus, CallStatus, Contract, ContractStatus
from kechuang.projects.services import milestone_state
from kechuang.projects.testing import make_experts, open_call, project_fund, review_through
from kechuang.projects.tests.test_lifecycle import end_notice, pay_round
from kechuang.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(chromium, live_server, user):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def click(page, text):
    page.click(f"button:has-text('{text}')")
    page.wait_for_load_state()


def test_one_project_from_call_to_acceptance_with_staged_payments(
    chromium, live_server, admin_user, department, reviewer, alice, city_bureau, endorser, money_people
):
    call = open_call(admin_user, department)
    make_experts(3)
    fund = project_fund(reviewer, year=timezone.localdate().year)

    unit = signed_in(chromium, live_server, alice)
    unit.goto(f"{live_server.url}/projects/")
    unit.click(f"text={call.name}")
    unit.click("#apply-link")
    unit.select_option("select[name=recommender]", str(city_bureau.pk))
    unit.fill("input[name=title]", "丘陵甘蔗智能收获装备研发")
    unit.fill("textarea[name=summary]", "研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术。")
    unit.fill("input[name=pi_name]", "韦强")
    unit.fill("textarea[name=team]", "覃丽 结构设计")
    unit.fill("textarea[name=targets]", "样机 1 台\n发明专利 2 件")
    unit.fill("input[name=budget_equipment]", "60")
    unit.fill("input[name=budget_materials]", "120")
    unit.fill("input[name=budget_indirect]", "20")
    click(unit, "保存申报书")
    app = Application.objects.get(call=call)
    assert app.fiscal_fen == 200 * 1_000_000 and app.status == ApplicationStatus.DRAFT
    click(unit, "签署科研诚信承诺书")
    click(unit, "提交推荐单位")
    assert unit.get_attribute("#app-status", "data-status") == "submitted"

    recommender = signed_in(chromium, live_server, endorser)
    recommender.goto(f"{live_server.url}/projects/applications/{app.pk}/")
    click(recommender, "推荐")

    office = signed_in(chromium, live_server, reviewer)
    office.goto(f"{live_server.url}/projects/applications/{app.pk}/")
    click(office, "运行形式审查与查重")
    assert office.get_attribute("#app-status", "data-status") == "formal_passed"
    office.goto(f"{live_server.url}/projects/calls/{call.pk}/")
    click(office, "送专家评审")
    call.refresh_from_db()
    review_through(call.review_process, reviewer)  # the experts score on the review engine
    click(office, "按评审得分和优先支持规则排序")
    office.fill("input[name=decision_no]", "桂科厅会〔2026〕12号")
    click(office, "按排序立项并发布公示")
    call.refresh_from_db()
    assert call.status == CallStatus.NOTICE

    public = chromium.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/projects/notices/{call.pk}/")
    assert "丘陵甘蔗智能收获装备研发" in public.inner_text("body")
    assert public.locator("#objection-form").count() == 1

    end_notice(call)
    office.goto(f"{live_server.url}/projects/calls/{call.pk}/")
    click(office, "公示期满，确认立项")
    office.goto(f"{live_server.url}/projects/applications/{app.pk}/")
    today = timezone.localdate()
    office.fill("input[name=starts_on]", today.isoformat())
    office.fill("input[name=ends_on]", today.replace(year=today.year + 2).isoformat())
    click(office, "生成任务书")
    contract = Contract.objects.get(application=app)

    unit.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    click(unit, "签署任务书")
    office.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    click(office, "签署任务书")
    assert office.get_attribute("#contract-status", "data-status") == ContractStatus.RUNNING

    office.goto(f"{live_server.url}/projects/calls/{call.pk}/")
    office.select_option("select#fund", str(fund.pk))
    click(office, "指定拨款资金")
    click(office, "将达到拨付条件的节点送拨付流程")
    first_round = contract.milestones.get(seq=1).candidate.round
    pay_round(first_round, reviewer, money_people)  # 联合会审, 会签, approval, payment file, bank return

    unit.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    assert unit.get_attribute("tr[data-milestone='1']", "data-state") == "paid"
    form = unit.locator("li[data-kind=midterm] form")
    form.locator("textarea[name=text]").fill("样机完成总体设计和关键部件试制。")
    form.locator("input[name=spent_fen]").fill("100")
    form.locator("input[name=t0]").fill("60")
    form.locator("button:has-text('提交报告')").click()
    unit.wait_for_load_state()
    office.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    click(office, "记录检查意见")
    office.goto(f"{live_server.url}/projects/calls/{call.pk}/")
    click(office, "将达到拨付条件的节点送拨付流程")
    pay_round(contract.milestones.get(seq=2).candidate.round, reviewer, money_people)

    unit.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    form = unit.locator("#acceptance-form")
    form.locator("textarea[name=final_report]").fill("样机通过第三方测试，申请发明专利 2 件。")
    form.locator("input[name=audit_report_no]").fill("桂审专〔2028〕8号")
    form.locator("input[name=audit_firm]").fill("广西某会计师事务所")
    form.locator("input[name=spent_fen]").fill("195")
    form.locator("input[name=t0]").fill("100")
    form.locator("input[name=t1]").fill("100")
    click(unit, "申请验收")
    office.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    click(office, "组织专家验收评审")
    contract.refresh_from_db()
    review_through(contract.acceptance.review_process, reviewer)
    office.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    office.fill("input[name=note]", "完成任务书各项指标，经费使用规范。")
    click(office, "记录验收结论")
    assert office.get_attribute("#acceptance-conclusion", "data-conclusion") == "passed"
    office.goto(f"{live_server.url}/projects/calls/{call.pk}/")
    click(office, "将达到拨付条件的节点送拨付流程")
    pay_round(contract.milestones.get(seq=3).candidate.round, reviewer, money_people)

    unit.goto(f"{live_server.url}/projects/contracts/{contract.pk}/")
    states = [unit.get_attribute(f"tr[data-milestone='{n}']", "data-state") for n in (1, 2, 3)]
    assert states == ["paid", "paid", "paid"]
    assert [milestone_state(m) for m in contract.milestones.all()] == ["paid"] * 3
    paid = sum(m.candidate.payment.amount_fen for m in contract.milestones.all())
    assert paid == contract.fiscal_fen
