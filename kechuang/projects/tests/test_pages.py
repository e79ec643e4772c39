"""Pages and permissions of the later stages: the public notice without login, the blacklist, contracts, centres,
the navigation entry and the to-do list."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.projects import services
from kechuang.projects.models import CallStatus, IntegrityRecord, NoticeObjection
from kechuang.projects.testing import WAN, budget, make_experts, open_call, review_through
from kechuang.projects.tests.test_lifecycle import submit
from kechuang.web.navigation import nav_items
from kechuang.web.workbench import todos_for


@pytest.fixture
def noticed(admin_user, department, alice, city_bureau, endorser, reviewer):
    call = open_call(admin_user, department)
    app = submit(
        call, alice, city_bureau, endorser, pi="韦强", title="甘蔗收获机研制", summary="甘蔗收获机关键技术。"
    )
    services.do_formal_check(app, acting_user=reviewer)
    make_experts(3)
    services.do_send_to_review(call, acting_user=reviewer)
    call.refresh_from_db()
    review_through(call.review_process, reviewer)
    services.do_rank(call, acting_user=reviewer)
    services.do_decide(call, acting_user=reviewer, decision_no="桂科厅会〔2026〕12号")
    app.refresh_from_db()
    return call, app


def test_public_notice_needs_no_login_and_takes_a_signed_objection(noticed, client):
    call, app = noticed
    page = client.get(f"/projects/notices/{call.pk}/")
    assert page.status_code == 200 and app.title in page.content.decode()
    assert client.get("/projects/notices/").status_code == 200
    client.post(
        f"/projects/notices/{call.pk}/", {"application": app.pk, "name": "", "contact": "", "text": "x"}
    )
    assert not NoticeObjection.objects.exists()  # unsigned: refused
    response = client.post(
        f"/projects/notices/{call.pk}/",
        {"application": app.pk, "name": "张三", "contact": "13800000000", "text": "负责人与申报材料不符。"},
    )
    assert response.status_code == 302 and NoticeObjection.objects.get().application == app
    call.status = CallStatus.OPEN
    call.save(update_fields=["status"])
    assert client.get(f"/projects/notices/{call.pk}/").status_code == 404


def test_manager_pages_and_outsiders(noticed, login, client, alice, bob, reviewer):
    call, app = noticed
    login(reviewer)
    page = client.get(f"/projects/calls/{call.pk}/").content.decode()
    assert f'data-application="{app.pk}" data-status="proposed"' in page
    assert client.get("/projects/integrity/").status_code == 200
    login(alice)
    assert client.get("/projects/integrity/").status_code == 403
    assert client.post(f"/projects/calls/{call.pk}/action/", {"action": "rank"}).status_code == 404
    login(bob)
    assert client.get(f"/projects/applications/{app.pk}/").status_code == 404


def test_blacklist_page_records_with_source(login, client, reviewer, acme):
    login(reviewer)
    response = client.post(
        "/projects/integrity/",
        {
            "source": "credit_china",
            "reference": "信用中国 2026-001",
            "reason": "严重失信主体",
            "credit_code": acme.credit_code,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    entry = IntegrityRecord.objects.get()
    assert entry.organisation == acme and entry.source == "credit_china" and entry.created_by == reviewer


def test_navigation_entry_and_todos(noticed, alice, reviewer, outsider, endorser):
    call, app = noticed
    assert any(i["url"] == "/projects/" for i in nav_items(alice, "/"))
    assert any(i["url"] == "/projects/" for i in nav_items(reviewer, "/"))
    assert not any(i["url"] == "/projects/" for i in nav_items(outsider, "/"))
    call.notice_ends = timezone.localdate() - dt.timedelta(days=1)
    call.save(update_fields=["notice_ends"])
    todos = [t for t in todos_for(reviewer) if t.area == "projects"]
    assert any(t.url == f"/projects/calls/{call.pk}/" for t in todos)
    services.do_confirm_funding(call, acting_user=reviewer)
    app.refresh_from_db()
    assert any(
        t.url == f"/projects/applications/{app.pk}/" for t in todos_for(reviewer)
    )  # contract to draw up
    assert not [t for t in todos_for(alice) if t.area == "projects"]


def test_centre_pages_belong_to_their_unit(login, client, alice, bob, reviewer):
    login(alice)
    response = client.post(
        "/projects/overseas/",
        {
            "name": "欧洲研发中心",
            "host_country": "PL",
            "filing_no": "境外投资证第N4500201900012号",
            "established_on": "2019-06-01",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    assert (
        client.post(
            url, {"year": 2025, "staff": 130, "new_products": 6, "sales_fen": "17000", "patents": 3}
        ).status_code
        == 302
    )
    login(bob)
    assert client.get(url).status_code == 404
    login(reviewer)
    assert "欧洲研发中心" in client.get("/projects/overseas/").content.decode()
    assert client.get(url).status_code == 200


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    asked=st.integers(min_value=1, max_value=10**12),
    shares=st.tuples(st.integers(1, 50), st.integers(1, 100), st.integers(0, 30)),
    ratio=st.integers(min_value=1, max_value=100),
)
def test_scaled_budget_and_milestones_always_sum_exactly(asked, shares, ratio):
    from kechuang.projects.services.contracts import _schedule, scale_budget

    total_w = sum(shares)
    lines = {
        "equipment": asked * shares[0] // total_w,
        "materials": 0,
        "indirect": asked * shares[2] // total_w,
    }
    lines["materials"] = asked - lines["equipment"] - lines["indirect"]
    funded = max(1, asked * ratio // 100)
    scaled = scale_budget({k: v for k, v in lines.items() if v}, funded)
    assert sum(scaled.values()) == funded and all(v >= 0 for v in scaled.values())
    for mode in ("staged", "post"):
        plan = _schedule(mode, funded, dt.date(2026, 1, 1), dt.date(2028, 1, 1))
        assert sum(step["amount_fen"] for step in plan) == funded


def test_budget_helper_matches_share_rules():
    services.check_budget("key_rd", budget(200 * WAN), 200 * WAN)


def test_the_unit_confirms_its_accepted_result_into_the_market_from_the_contract_page(
    client, admin_user, department, alice, reviewer, city_bureau, endorser
):
    from types import SimpleNamespace

    from kechuang.projects.models import Contract, ResultOffer
    from kechuang.projects.testing import accepted_project_world
    from kechuang.techmarket.models import Listing

    world = SimpleNamespace(
        users={"admin": admin_user, "ent_a": alice, "science": reviewer, "nanning": endorser},
        orgs={"science": department, "nanning_bureau": city_bureau},
    )
    ids = accepted_project_world(world)
    contract = Contract.objects.get(pk=ids["project_contract"])
    url = f"/projects/contracts/{contract.pk}/"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert 'id="results"' in page and 'value="result_confirm"' not in page  # offered to the unit, not to us
    client.force_login(alice)
    assert 'value="result_confirm"' in client.get(url).content.decode()
    offer = ResultOffer.objects.get(pk=ids["project_result"])
    bad = client.post(url + "action/", {"action": "result_confirm", "result": offer.pk, "trl": "12"})
    assert bad.status_code == 302 and not Listing.objects.exists()
    client.post(
        url + "action/", {"action": "result_confirm", "result": offer.pk, "trl": "7", "title": "桂糖新品种"}
    )
    offer.refresh_from_db()
    listing = offer.listing
    assert offer.status == "listed" and listing.trl == 7 and listing.owner_id == alice.organisation_id
    assert listing.texts.get().title == "桂糖新品种"
