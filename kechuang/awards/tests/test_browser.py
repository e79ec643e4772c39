"""In Debian's Chromium: one award cycle — a university nominates, the department checks and grades, the proposed
award goes on public notice, a member of the public objects without an account and the department answers."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.awards.models import AwardObjection, CallStatus, Nomination, NominationStatus
from kechuang.awards.services import do_open_call
from kechuang.awards.tests.test_awards import walk_to_committee_pass
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


def test_nomination_to_public_notice_and_an_answered_objection(
    chromium, live_server, admin_user, department, alice, acme
):
    call = do_open_call(
        acting_user=admin_user,
        kind="st_award",
        year=timezone.localdate().year,
        department=department,
        nomination_deadline=timezone.localdate() + dt.timedelta(days=20),
        quotas=[(acme, 1)],
    )
    nominator = signed_in(chromium, live_server, alice)
    nominator.goto(f"{live_server.url}/awards/")
    nominator.click(f"text={call.name}")
    nominator.select_option("select[name=category]", "st_progress")
    nominator.fill("input[name=title]", "桂北山区甘蔗机械化收获技术")
    nominator.fill("textarea[name=summary]", "丘陵地区甘蔗联合收获机的研制与推广应用")
    nominator.fill("textarea[name=contributors]", "韦建华\n覃丽")
    nominator.click("text=提交提名")
    nominator.wait_for_load_state()
    assert "提名已提交" in nominator.inner_text("body")
    nomination = Nomination.objects.get(call=call)

    department_page = signed_in(chromium, live_server, admin_user)
    department_page.goto(f"{live_server.url}/awards/calls/{call.pk}/")
    department_page.click("button:has-text('形式审查通过')")
    department_page.wait_for_load_state()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.IN_REVIEW

    # Online review, hearing and the committee vote run on the review engine (tested on their own).
    walk_to_committee_pass(call, nomination, admin_user, department)
    department_page.goto(f"{live_server.url}/awards/calls/{call.pk}/")
    department_page.select_option(f"select#grade{nomination.pk}", "second")
    department_page.click("button:has-text('拟定等级')")
    department_page.wait_for_load_state()
    department_page.click("button:has-text('发布公示')")
    department_page.wait_for_load_state()
    call.refresh_from_db()
    assert call.status == CallStatus.NOTICE
    assert "公示已发布" in department_page.inner_text("body")

    public = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/awards/notices/{call.pk}/")
    text = public.inner_text("body")
    assert "桂北山区甘蔗机械化收获技术" in text and acme.credit_code in text and "二等奖" in text
    public.fill("input[name=name]", "张三")
    public.fill("input[name=contact]", "13800000000")
    public.fill("textarea[name=text]", "项目第二完成人的贡献与申报材料不符，请核实。")
    public.click("button:has-text('提交异议')")
    public.wait_for_load_state()
    assert "异议已收到" in public.inner_text("body")
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the public notice must fit a phone screen"

    department_page.goto(f"{live_server.url}/awards/calls/{call.pk}/")
    department_page.fill("textarea[name=answer]", "经核实，完成人贡献与材料一致，异议不成立。")
    department_page.click("button:has-text('答复异议')")
    department_page.wait_for_load_state()
    objection = AwardObjection.objects.get()
    assert objection.status == AwardObjection.Status.DISMISSED


def test_approved_prizes_are_paid_through_a_payout_round_from_the_call_page(
    chromium,
    live_server,
    admin_user,
    department,
    reviewer,
    alice,
    bob,
    signers,
    finance_approver,
    approver,
    payer,
    reconciler,
    prize_round,
):
    from kechuang.awards.tests.test_payouts import approved_call
    from kechuang.policy import services as policy
    from kechuang.policy.models import Payment
    from kechuang.policy.tests.conftest import bank_file, end_notice
    from kechuang.registry.models import DepartmentType

    call = do_open_call(
        acting_user=admin_user,
        kind="st_award",
        year=timezone.localdate().year,
        department=department,
        nomination_deadline=timezone.localdate() + dt.timedelta(days=20),
        quotas=[(alice.organisation, 1), (bob.organisation, 1)],
    )
    call, first, _second = approved_call(call, alice, bob, admin_user, department)
    round_ = prize_round()
    page = signed_in(chromium, live_server, reviewer)
    page.goto(f"{live_server.url}/awards/calls/{call.pk}/")
    page.select_option("select#round", str(round_.pk))
    page.click("button:has-text('交由批次拨付奖金')")
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.payout_round_id == round_.pk
    # the payout workflow's own steps (tested on their own in the policy app)
    policy.do_start_joint_review(round_, acting_user=reviewer)
    for kind in (DepartmentType.SCIENCE, DepartmentType.FINANCE):
        policy.do_joint_signoff(round_, acting_user=signers[kind])
    policy.do_complete_joint_review(round_, acting_user=reviewer)
    end_notice(round_)
    policy.do_concur_round(round_, acting_user=finance_approver)
    policy.do_approve_round(round_, acting_user=approver)
    round_.refresh_from_db()
    batch = policy.do_create_payment_batch(round_, acting_user=payer)
    policy.do_reconcile_batch(batch, bank_file(batch), "return.csv", acting_user=reconciler)
    page.goto(f"{live_server.url}/awards/calls/{call.pk}/")
    section = page.inner_text("#prizes")
    assert first.lead_unit.name in section
    assert section.count(str(Payment.Status.PAID.label)) == 2
