"""The front door: the public portal, the public calculator, registration reviewed by an official, the workbench
with its to-do list, navigation that offers only what the role may open, and error pages in the site layout."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role, User
from kechuang.codes import make_credit_code
from kechuang.registry.models import Organisation, OrganisationKind
from kechuang.testing import make_org, make_user
from kechuang.web.models import OrganisationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def language_restored():
    """Requests in other languages leave that language active in this thread; later tests expect the default."""
    yield
    from django.utils import translation

    translation.deactivate()


def test_portal_is_public_and_says_what_the_platform_is(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:login") in html
    assert reverse("web:register") in html
    assert reverse("web:calculator") in html
    assert reverse("events:home") in html
    assert "mainnav" not in html  # nothing to navigate to before signing in


def test_portal_in_every_language(client, settings):
    for code, _name in settings.LANGUAGES:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=code)
        assert response.status_code == 200
        assert f'<html lang="{code}">' in response.content.decode()


def test_switcher_names_each_language_in_itself(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">ភាសាខ្មែរ<" in html and ">မြန်မာဘာသာ<" in html and ">简体中文<" in html
    assert ">Khmer<" not in html


def test_public_calculator_computes_without_storing(client):
    from kechuang.audit.models import AuditEntry
    from kechuang.policy.services import current_versions

    current_versions()  # the policy definitions are loaded once; that is not the visitor's data
    before = AuditEntry.objects.count()
    params = {
        "policy": "rd_incremental",
        "year": "2024",
        "run": "1",
        "rd_super_deduction__0": "800",
        "rd_super_deduction__1": "600",
        "rd_spending__0": "900",
        "revenue__0": "20000",
        "above_scale__0": "1",
    }
    response = client.get(reverse("web:calculator"), params)
    assert response.status_code == 200
    assert response.context["result"]["status"] == "eligible"
    assert response.context["result"]["amount"] > 0
    assert AuditEntry.objects.count() == before


def test_public_calculator_refuses_bad_figures_without_an_error_page(client):
    params = {"policy": "rd_incremental", "run": "1", "rd_super_deduction__0": "-5", "revenue__0": "abc"}
    response = client.get(reverse("web:calculator"), params)
    assert response.status_code == 200
    assert len(response.context["errors"]) == 2
    assert response.context["result"] is None
    huge = {"policy": "rd_incremental", "run": "1", "revenue__0": "1" + "0" * 20}
    assert client.get(reverse("web:calculator"), huge).context["errors"]


def test_public_calculator_unknown_policy_is_404_in_the_site_layout(client):
    response = client.get(reverse("web:calculator"), {"policy": "nope"})
    assert response.status_code == 404
    assert 'class="topbar"' in response.content.decode()


def _registration(**extra):
    data = {
        "country": "CN",
        "name": "南宁新注册科技有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "credit_code": make_credit_code("450103", "R0000001"),
        "contact_name": "王五",
        "email": "wang@example.cn",
        "username": "newcomer",
        "password": "Long-Enough-Pass-2026",
        "password2": "Long-Enough-Pass-2026",
    }
    data.update(extra)
    return data


def test_registration_is_reviewed_before_anything_is_active(client, reviewer):
    response = client.post(reverse("web:register"), _registration())
    assert response.status_code == 200
    req = OrganisationRequest.objects.get()
    assert req.status == "pending" and req.region_id == "450103"
    assert not User.objects.filter(username="newcomer").exists()
    assert not Organisation.objects.filter(credit_code=req.credit_code).exists()
    assert not client.login(username="newcomer", password="Long-Enough-Pass-2026")

    client.force_login(reviewer)
    home = client.get("/")
    assert any(t.url == reverse("web:registration_list") for t in home.context["todos"])
    response = client.post(reverse("web:registration_decide", args=[req.pk]), {"decision": "approve"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "approved"
    user = User.objects.get(username="newcomer")
    assert user.organisation.credit_code == req.credit_code and user.role == Role.ORG_ADMIN
    client.logout()
    assert client.login(username="newcomer", password="Long-Enough-Pass-2026")


def test_registration_rejects_a_wrong_credit_code_and_a_taken_one(client, acme):
    bad = _registration(credit_code=make_credit_code("450103", "R0000001")[:-1] + "0")
    response = client.post(reverse("web:register"), bad)
    assert response.status_code == 200 and response.context["form"].errors.get("credit_code")
    taken = _registration(credit_code=acme.credit_code)
    response = client.post(reverse("web:register"), taken)
    assert response.context["form"].errors.get("credit_code")
    assert not OrganisationRequest.objects.exists()


def test_asean_organisation_registers_with_its_own_number(client, reviewer):
    data = _registration(
        country="VN",
        credit_code="",
        registration_type="vn_msdn",
        registration_number="0100-233-488",
        username="hanoi",
    )
    client.post(reverse("web:register"), data)
    req = OrganisationRequest.objects.get()
    assert req.country == "VN" and req.registration_number == "0100233488" and not req.credit_code
    client.force_login(reviewer)
    client.post(reverse("web:registration_decide", args=[req.pk]), {"decision": "reject"})
    req.refresh_from_db()
    assert req.status == "pending"  # refusing needs a reason the applicant can read
    client.post(
        reverse("web:registration_decide", args=[req.pk]), {"decision": "reject", "note": "证照不清晰"}
    )
    req.refresh_from_db()
    assert req.status == "rejected"


def test_only_officials_who_create_organisations_review_registrations(login, alice, approver):
    assert login(alice).get(reverse("web:registration_list")).status_code == 403
    assert login(approver).get(reverse("web:registration_list")).status_code == 403


def _nav_urls(client):
    return [item["url"] for item in client.get("/").context["nav_items"]]


def test_navigation_offers_only_pages_the_role_may_open(client, department, alice, reviewer, approver):
    university = make_org("测试大学", kind=OrganisationKind.UNIVERSITY, registration="12")
    expert = make_user("expert1", org=university, role=Role.EXPERT)
    professor = make_user("prof1", org=university, role=Role.ORG_ADMIN)
    for user in (alice, reviewer, approver, expert, professor):
        client.force_login(user)
        urls = _nav_urls(client)
        assert urls, user
        for url in urls:
            assert client.get(url, follow=True).status_code == 200, (user.username, url)
    client.force_login(expert)
    assert reverse("policy:home") not in _nav_urls(client)
    assert reverse("pledge:home") not in _nav_urls(client)
    client.force_login(alice)
    assert reverse("jobs:list") not in _nav_urls(client)
    assert reverse("policy:home") in _nav_urls(client)


def test_error_pages_use_the_site_layout_and_the_readers_language(client, alice):
    client.force_login(alice)
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="mainnav"' in html and reverse("web:home") in html
    forbidden = client.get(reverse("audit:list"))
    assert forbidden.status_code == 403
    assert 'class="mainnav"' in forbidden.content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from kechuang.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b'class="topbar"' in response.content


def test_workbench_lists_interests_to_answer_and_names_the_listing(
    client, alice, bob, reviewer, settings, tmp_path
):
    from kechuang.techmarket import services as market
    from kechuang.techmarket.tests.conftest import ACHIEVEMENT, publish

    settings.DATA_DIR = tmp_path / "data"
    listing = publish(alice, reviewer)
    interest = market.do_express_interest(listing, acting_user=bob, note="我们想洽谈许可。")
    client.force_login(alice)
    response = client.get("/")
    todos = response.context["todos"]
    urls = [t.url for t in todos]
    assert reverse("techmarket:interest", args=[interest.pk]) in urls
    assert any(ACHIEVEMENT["title"] in t.title for t in todos)
    nav = {item["url"]: item["count"] for item in response.context["nav_items"]}
    assert nav[reverse("techmarket:home")] >= 1
    fragment = client.get(reverse("web:nav"), {"path": reverse("techmarket:home")}).content.decode()
    assert 'class="count"' in fragment and 'aria-current="page"' in fragment
    notes = response.context["notifications"]
    assert notes and all(n["subject"] == ACHIEVEMENT["title"] for n in notes)
    assert all(n["url"] == reverse("techmarket:detail", args=[listing.pk]) for n in notes)

    market.do_send_message(interest, acting_user=alice, body="欢迎，下周可以面谈。")
    assert reverse("techmarket:interest", args=[interest.pk]) not in [
        t.url for t in client.get("/").context["todos"]
    ]


def test_workbench_shows_the_reviewer_what_waits_for_review(client, alice, reviewer, settings, tmp_path):
    from kechuang.techmarket import services as market
    from kechuang.techmarket.tests.conftest import ACHIEVEMENT

    settings.DATA_DIR = tmp_path / "data"
    market.do_create_listing(acting_user=alice, **ACHIEVEMENT)
    client.force_login(reviewer)
    todos = client.get("/").context["todos"]
    assert any(t.url == reverse("techmarket:review_queue") and t.count == 1 for t in todos)
    client.force_login(alice)
    assert not any(t.url == reverse("techmarket:review_queue") for t in client.get("/").context["todos"])


def test_login_uses_the_language_of_the_profile(client, alice):
    from django.conf import settings

    from kechuang.testing import PASSWORD

    alice.language = "vi"
    alice.save(update_fields=["language"])
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_a_finished_job_page_says_it_is_done_and_leads_back_to_its_subject(login, reviewer, acme):
    from kechuang.jobs.queue import run_pending
    from kechuang.testing import record_indicators

    record_indicators(acme, 2024, revenue=10**10, rd_spending=10**8, rd_super_deduction=10**8)
    client = login(reviewer)
    response = client.post(reverse("policy:start_screening"), {"year": "2024"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    queued = client.get(response["Location"]).content.decode()
    assert "every 1s" in queued  # still polling while it waits
    [job] = run_pending()
    html = client.get(response["Location"]).content.decode()
    assert "every 1s" not in html  # no endless polling once finished
    assert reverse("policy:screening_run", args=[job.result["run_id"]]) in html
    assert "正在生成" not in html


def test_audit_log_shows_labels_and_yuan_not_codes_fen_or_dicts(login, admin_user, acme):
    from django.db import transaction

    from kechuang.audit.services import record

    with transaction.atomic():
        record(
            "registry.org.update",
            acme,
            acting_user=admin_user,
            changes={
                "registered_capital_fen": [None, 123_456_78],
                "size": ["small", "large"],
                "extra": [None, {"registered_capital_fen": 100}],
                "kinds": [None, ["enterprise", "university"]],
            },
        )
    html = login(admin_user).get(reverse("audit:list")).content.decode()
    assert (
        "registered_capital_fen" not in html
        and "{'" not in html
        and "registry.org.update" not in html.replace('title="registry.org.update"', "")
    )
    assert "123,456.78" in html and "元" in html
    assert "注册资本" in html
    table = html[html.index('<table class="audit') :]
    assert "university" not in table and "高等院校" in table  # a list of stored choices, by name


def test_dates_come_from_cldr_in_every_language():
    import datetime as dt

    from django.utils import translation

    from kechuang import formats

    day = dt.date(2016, 3, 1)
    with translation.override("my"):
        burmese = formats.date(day)
    assert "三月" not in burmese and "2016" in burmese
    with translation.override("zh-hans"):
        assert formats.date(day) == "2016年3月1日"
    with translation.override("en"):
        assert formats.money(123456789) == "1,234,567.89 元" or "1,234,567.89" in formats.money(123456789)
    with translation.override("vi"):
        assert "1.234.567,89" in formats.money(123456789)


def test_a_new_round_defaults_to_the_latest_year_with_figures(login, reviewer, acme):
    from kechuang.testing import record_indicators

    record_indicators(acme, 2022, revenue=10**9)
    record_indicators(acme, 2023, revenue=10**9)
    response = login(reviewer).get(reverse("policy:round_list"))
    assert response.context["default_year"] == 2023


@pytest.mark.parametrize(
    ("country", "type_code", "number", "field"),
    [
        ("VN", "vn_msdn", "0100233480", "registration_number"),  # wrong check digit
        ("TH", "th_juristic", "0994000617723", "registration_number"),  # wrong check digit
        ("MY", "my_ssm", "201999012345", "registration_number"),  # entity type 99 does not exist
        ("VN", "th_juristic", "0994000617721", "registration_type"),  # a Thai number type for Vietnam
        ("ID", "", "9120001234567", "registration_type"),
    ],
)
def test_asean_registration_numbers_are_checked_per_country(client, country, type_code, number, field):
    data = _registration(
        country=country, credit_code="", registration_type=type_code, registration_number=number
    )
    response = client.post(reverse("web:register"), data)
    assert response.context["form"].errors.get(field)
    assert not OrganisationRequest.objects.exists()


def test_approved_asean_organisation_gets_a_registry_record_and_can_publish(client, reviewer):
    from kechuang.techmarket.services import do_create_listing

    data = _registration(
        country="TH",
        name="Chiang Mai Agricultural University",
        kind=OrganisationKind.UNIVERSITY,
        credit_code="",
        registration_type="th_juristic",
        registration_number="0-99-4-000-61772-1",
        username="cmu",
    )
    client.post(reverse("web:register"), data)
    req = OrganisationRequest.objects.get()
    client.force_login(reviewer)
    client.post(reverse("web:registration_decide", args=[req.pk]), {"decision": "approve"})
    req.refresh_from_db()
    org = req.organisation
    assert req.status == "approved" and org is not None
    assert (org.country, org.registration_type, org.registration_number) == (
        "TH",
        "th_juristic",
        "0994000617721",
    )
    assert org.credit_code == "" and org.region_id == "TH" and org.city_id == "TH"
    assert req.user.organisation == org and req.user.role == Role.ORG_ADMIN
    listing = do_create_listing(
        acting_user=req.user,
        kind="achievement",
        language="th",
        title="เทคโนโลยีการอบแห้งมะม่วงแบบประหยัดพลังงาน",
        summary="เครื่องอบแห้งปั๊มความร้อนสำหรับมะม่วง ลดการใช้พลังงานร้อยละ 30",
        trl=6,
    )
    assert listing.owner == org and listing.country == "TH" and listing.region_id is None
    # the same number cannot register twice
    client.logout()
    again = _registration(
        country="TH",
        credit_code="",
        registration_type="th_juristic",
        registration_number="0994000617721",
        username="cmu2",
    )
    response = client.post(reverse("web:register"), again)
    assert response.context["form"].errors.get("registration_number")
