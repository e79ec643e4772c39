"""In Debian's Chromium: one talent from the employer's application to the first benefit payment — the employer
applies, the county pre-checks, the department recognises and publishes the notice, certifies after it, hands the
benefits due to the payout workflow (the round's review chain runs on the policy services, tested on their own) and
settles the paid instalments."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.policy import services as policy
from kechuang.talent.models import Instalment, Status, TalentApplication
from kechuang.talent.tests.conftest import id_number
from kechuang.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


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


def test_talent_from_application_to_first_benefit_payment(
    chromium, live_server, alice, acme, qingxiu, reviewer, chain
):
    employer = signed_in(chromium, live_server, alice)
    employer.goto(f"{live_server.url}/")
    employer.click("nav >> text=人才认定")
    employer.click("text=申报认定")
    employer.fill("input[name=name]", "韦志强")
    employer.fill("input[name=id_number]", id_number(7))
    employer.select_option("select[name=level]", "C")
    employer.select_option("select[name=credential]", "jieqing")
    employer.fill("input[name=contract_start]", (TODAY - dt.timedelta(days=20)).isoformat())
    employer.fill("input[name=contract_end]", (TODAY + dt.timedelta(days=5 * 366)).isoformat())
    employer.fill("input[name=evidence_contract]", "HT-2026-007")
    employer.fill("input[name=evidence_social_insurance]", "SB-450103-0007")
    # the tax evidence is missing first: refused with its reason, nothing created
    employer.click("button:has-text('提交申请')")
    employer.wait_for_load_state()
    assert "个人所得税" in employer.inner_text("body") and not TalentApplication.objects.exists()
    employer.fill("input[name=id_number]", id_number(7))
    employer.fill("input[name=evidence_tax]", "GS-2026-0007")
    employer.click("button:has-text('提交申请')")
    employer.wait_for_load_state()
    app = TalentApplication.objects.get()
    assert app.status == Status.SUBMITTED

    county = signed_in(chromium, live_server, qingxiu)
    county.goto(f"{live_server.url}/talent/applications/{app.pk}/")
    county.fill("input[name=note]", "合同、社保、个税材料齐全")
    county.click("button:has-text('初审通过')")
    county.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.PRECHECKED

    office = signed_in(chromium, live_server, reviewer)
    office.goto(f"{live_server.url}/talent/applications/{app.pk}/")
    office.click("button:has-text('拟认定')")
    office.wait_for_load_state()
    office.goto(f"{live_server.url}/talent/")
    office.click("button:has-text('发布公示')")
    office.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.NOTICE
    public = chromium.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/talent/notice/")
    assert "韦志强" in public.inner_text("body")
    # the notice's working days pass
    TalentApplication.objects.filter(pk=app.pk).update(
        notice_start=TODAY - dt.timedelta(days=14), notice_end=TODAY - dt.timedelta(days=1)
    )
    office.goto(f"{live_server.url}/talent/applications/{app.pk}/")
    office.click("button:has-text('公示期满，发证')")
    office.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.RECOGNISED and app.certificate_no
    assert (
        office.locator("[data-instalment-state=scheduled]").count() == 5 + 3 + 2
    )  # living, settling, research

    # the employer records the person's own account: the living subsidy and settling-in allowance are theirs
    employer.goto(f"{live_server.url}/talent/applications/{app.pk}/")
    employer.fill("input[name=bank_name]", "中国工商银行南宁分行")
    employer.fill("input[name=bank_account]", "6222 0212 3456 7890 123")
    employer.click("button:has-text('保存')")
    employer.wait_for_load_state()
    assert "*0123" in employer.inner_text("[data-payee]") and "6222021234567890123" not in employer.content()

    office.goto(f"{live_server.url}/talent/benefits/?year={TODAY.year}")
    office.click("button:has-text('报送本年度应发待遇')")
    office.wait_for_load_state()
    due = sum(Instalment.objects.filter(state="published").values_list("amount_fen", flat=True))
    assert due > 0

    # the payout workflow: a round of the talent programme (依申请) the benefits are put on from the desk — one line
    # for the person, one for the employer's research funding — then its review chain, approval, batch, bank return
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, "人才待遇资金", TODAY.year, due, acting_user=reviewer)
    round_ = policy.do_create_round(
        fund, "人才待遇第一批", year=TODAY.year, budget_fen=due, mode="apply", acting_user=reviewer
    )
    office.goto(f"{live_server.url}/talent/benefits/?year={TODAY.year}")
    office.select_option("select[name=round]", str(round_.pk))
    office.click("button:has-text('列入批次')")
    office.wait_for_load_state()
    assert {c.payee_key for c in round_.candidates.all()} == {
        f"talent.person:{app.person_id}",
        "talent.employer",
    }
    policy.do_close_applications(round_, acting_user=reviewer)
    batch = chain.all(round_)
    assert batch.payments.get(payee_key=f"talent.person:{app.person_id}").account == "6222021234567890123"

    office.goto(f"{live_server.url}/talent/benefits/?year={TODAY.year}")
    office.click("button:has-text('核销到账待遇')")
    office.wait_for_load_state()
    office.goto(f"{live_server.url}/talent/applications/{app.pk}/")
    assert office.locator("[data-instalment-state=paid]").count() == 3
    assert sum(Instalment.objects.filter(state="paid").values_list("amount_fen", flat=True)) == due
