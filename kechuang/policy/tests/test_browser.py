"""In Debian's Chromium: an enterprise user opens the policy calculator and follows one calculation step by step."""

import pytest

from kechuang.testing import PASSWORD, page_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_sees_what_it_qualifies_for_and_why(chromium, live_server, firms, alice):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/policy/")  # an enterprise user lands on the calculator
    assert "/policy/calculator/" in page.url
    page.select_option("select[name=year]", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    table = page.inner_text("table")
    assert "瞪羚企业研发奖补" in table and "50.00" in table
    assert "研发经费支出需再增加 4,500.00 万元" in table  # what it would take for the special reward
    page.click("tr:has-text('企业研发经费投入增量奖补') >> text=计算过程")
    page.wait_for_load_state()
    trace = page.inner_text("ol.trace")
    assert "同比增量 = 100.00 万元" in trace and "适用奖补比例（万分比） = 20.00%" in trace
    assert "结果：符合，金额 20.00 万元" in trace


def test_a_full_round_county_city_joint_review_approval_payment_and_bank_return(
    chromium,
    live_server,
    firms,
    make_round,
    reviewer,
    local_reviewers,
    signers,
    finance_approver,
    approver,
    payer,
    reconciler,
    journey_screen,
):
    """Each person in their own browser: 区县初审 → 市级推荐 → 联合会审 (five departments) → the public 公示 opened
    without logging in, an objection from the public, answered → 财政会签 → 批准 → 下达 to the cities (Excel and
    Word tables) → 拨付文件 → 银行回单 → the fund's ledger. On a desktop and on a phone: no page is wider than
    the screen (tables scroll inside their box)."""
    from kechuang.jobs.queue import run_pending
    from kechuang.policy import services
    from kechuang.policy.models import Candidate, LedgerEntry, Objection, PaymentBatch, Round
    from kechuang.policy.tests.conftest import bank_file, end_notice

    round_ = make_round()
    services.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    url = f"{live_server.url}/policy/rounds/{round_.pk}/"

    def as_user(user):
        context = chromium.new_context(viewport=journey_screen, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(url)
        fits(page)
        return page

    def fits(page):
        assert page_overflow(page) == 0, (page.url, page_overflow(page))

    def act(user, action, fill=None):
        page = as_user(user)
        form = page.locator(f"form[action$='/{action}/']")
        for name, value in (fill or {}).items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        fits(page)
        text = page.inner_text("main")
        page.context.close()
        return text

    for who in ("qingxiu", "chengzhong"):
        act(local_reviewers[who], "county_review_all")
    for who in ("nanning", "liuzhou"):
        act(local_reviewers[who], "city_review_all", {"note": "同意推荐"})
    assert "联合会审" in act(reviewer, "start_joint_review")
    for kind, user in signers.items():
        act(user, "joint_signoff", {"note": f"{kind} 同意"})
    text = act(reviewer, "joint_review")
    assert "公示中" in text and "金额取整规则" in text

    # the public 公示: anyone, no login — the list, the period in working days, and an objection signed by name
    public = chromium.new_context(viewport=journey_screen, locale="zh-CN")
    page = public.new_page()
    page.goto(f"{live_server.url}/policy/gongshi/")
    assert "/accounts/login/" not in page.url
    fits(page)
    page.click(f"tr[data-round='{round_.pk}'] a")
    page.wait_for_load_state()
    fits(page)
    listed = Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED).select_related(
        "organisation"
    )
    body = page.inner_text("main")
    assert all(c.organisation.credit_code in body for c in listed)
    target = listed.first()
    page.select_option("select[name=candidate]", str(target.pk))
    page.fill("input[name=name]", "张三")
    page.fill("input[name=contact]", "13800000000")
    page.fill("textarea[name=text]", "该企业的研发费用与实际不符")
    page.click("#objection-form button[type=submit]")
    page.wait_for_load_state()
    assert "异议已收到" in page.inner_text("main")
    public.close()
    objection = Objection.objects.get(candidate=target)
    assert (objection.channel, objection.name, objection.raised_by) == ("public", "张三", None)

    # the owning department answers it on the candidate's page
    page = as_user(reviewer)
    page.goto(f"{live_server.url}/policy/candidates/{target.pk}/")
    fits(page)
    page.fill(f"li[data-objection='{objection.pk}'] input[name=resolution]", "经核实，数据以税务部门确认为准")
    page.click(f"li[data-objection='{objection.pk}'] button[type=submit] >> nth=0")
    page.wait_for_load_state()
    page.context.close()
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.DISMISSED

    act(finance_approver, "concur", {"note": "资金已落实"})
    assert "公示期至" in act(approver, "approve")  # the working days have not passed: refused
    end_notice(round_)
    assert "已批准" in act(approver, "approve")
    assert Round.objects.get(pk=round_.pk).status == Round.Status.APPROVED

    # 下达: the region's money to each city's finance bureau with a document number, tables in Excel and Word
    act(payer, "transfer", {"document_no": "桂财教〔2025〕18号"})
    assert round_.transfers.count() == 2  # Nanning and Liuzhou
    page = as_user(payer)
    assert "桂财教〔2025〕18号" in page.inner_text("#transfers")
    with page.expect_download() as download:
        page.click("text=下载下达表（Excel）")
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.click("text=下载下达表（Word）")
    assert download.value.suggested_filename.endswith(".docx")
    page.context.close()

    act(payer, "pay")
    batch = PaymentBatch.objects.get(round=round_)
    page = as_user(payer)
    with page.expect_download() as download:
        page.click("text=下载拨付文件")
    assert download.value.suggested_filename == f"payments-{batch.reference}.xlsx"
    page.context.close()

    page = as_user(reconciler)
    page.set_input_files(
        "form[action$='/reconcile/'] input[type=file]",
        files=[{"name": "回单.csv", "mimeType": "text/csv", "buffer": bank_file(batch)}],
    )
    page.click("form[action$='/reconcile/'] button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "到账 2 笔" in text and "已对账" in text
    page.context.close()
    page = as_user(payer)
    page.click(f"a[href$='/funds/{round_.fund_id}/ledger/'] >> nth=0")
    page.wait_for_load_state()
    fits(page)
    assert page.locator("tr[data-kind='payment']").count() == 2
    page.context.close()
    assert LedgerEntry.objects.filter(kind="payment").count() == 2
    assert Candidate.objects.filter(round=round_, status=Candidate.Status.PAID).count() == 2
