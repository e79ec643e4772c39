"""Pages and API: who may use them, who may not; escaping; cross-language search through the real job."""

import pytest
from django.urls import reverse

from kechuang.jobs.models import Job
from kechuang.jobs.queue import run_pending
from kechuang.techmarket import services
from kechuang.techmarket.indexing import forget_cached_indexes, index_dir, read_manifest
from kechuang.techmarket.models import Match, Notification

from .conftest import ACHIEVEMENT, publish


@pytest.fixture
def pending(professor):
    return services.do_create_listing(
        acting_user=professor, **{**ACHIEVEMENT, "title": "待审核<script>alert(1)</script>成果"}
    )


def test_pages_need_login_except_public_search_and_reading(client, professor, reviewer):
    for name in ("techmarket:dashboard", "techmarket:create", "techmarket:stats"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    listing = publish(professor, reviewer)
    assert client.get(reverse("techmarket:home")).status_code == 200
    assert client.get(reverse("techmarket:home"), {"q": "木薯乙醇"}).status_code == 200
    page = client.get(reverse("techmarket:detail", args=[listing.pk]))
    assert page.status_code == 200 and ACHIEVEMENT["title"] in page.content.decode()
    api = client.get(f"/api/market/listings/{listing.pk}")
    assert api.status_code == 200 and api.json()["texts"][0]["title"] == ACHIEVEMENT["title"]
    assert client.get("/api/market/search", {"q": "cassava ethanol"}).status_code == 200
    # contacting needs an account
    response = client.post(reverse("techmarket:interest_create", args=[listing.pk]), {"note": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    r = client.post(
        f"/api/market/listings/{listing.pk}/interests", {"note": "hi"}, content_type="application/json"
    )
    assert r.status_code == 401
    assert client.get("/api/market/stats").status_code == 401


def test_unpublished_listing_hidden_from_outsiders_and_others(
    login, client, pending, outsider, bob, professor, reviewer, liuzhou_reviewer
):
    url = reverse("techmarket:detail", args=[pending.pk])
    for user in (outsider, bob, liuzhou_reviewer):
        login(user)
        assert client.get(url).status_code == 404
        assert client.get(f"/api/market/listings/{pending.pk}").status_code == 404
    login(professor)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    login(reviewer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("techmarket:review_queue")).status_code == 200


def test_role_gated_pages(login, client, alice, outsider, reviewer, approver):
    login(alice)
    for name in ("techmarket:review_queue", "techmarket:follow_ups", "techmarket:stats"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("techmarket:create")).status_code == 200
    assert client.get(reverse("techmarket:dashboard")).status_code == 200
    assert client.get(reverse("techmarket:contracts")).status_code == 200
    assert client.post(reverse("techmarket:contracts"), {"registration_number": "X"}).status_code == 403
    login(outsider)
    assert client.get(reverse("techmarket:create")).status_code == 403
    assert client.get(reverse("techmarket:dashboard")).status_code == 404
    assert client.get(reverse("techmarket:contracts")).status_code == 404
    assert client.get("/api/market/stats").status_code == 403
    login(approver)
    assert client.get(reverse("techmarket:stats")).status_code == 200
    assert client.get(reverse("techmarket:review_queue")).status_code == 403
    login(reviewer)
    assert client.get(reverse("techmarket:follow_ups")).status_code == 200
    assert client.get("/api/market/stats").json()["contracts"] == 0


def test_review_via_page_and_edit_forbidden_to_others(login, client, pending, bob, reviewer, alice):
    login(alice)
    assert (
        client.post(reverse("techmarket:review", args=[pending.pk]), {"decision": "approve"}).status_code
        == 404
    )
    login(reviewer)
    client.post(reverse("techmarket:review", args=[pending.pk]), {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "published"
    login(bob)
    assert client.get(reverse("techmarket:detail", args=[pending.pk])).status_code == 200
    assert client.get(reverse("techmarket:edit", args=[pending.pk])).status_code == 404
    assert client.post(reverse("techmarket:renew", args=[pending.pk])).status_code == 404


def test_create_via_form_reports_bad_patent_and_keeps_input(login, client, alice):
    login(alice)
    data = {
        "kind": "demand",
        "language": "vi",
        "title": "Cần công nghệ chế biến sắn",
        "summary": "Nhà máy cần công nghệ.",
        "trl": "5",
        "transfer_mode": "transfer",
        "price_mode": "negotiable",
        "country": "VN",
        "patents": "201710601862.4",
    }
    response = client.post(reverse("techmarket:create"), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert "Cần công nghệ chế biến sắn" in response.content.decode()
    data["patents"] = ""
    response = client.post(reverse("techmarket:create"), data)
    assert response.status_code == 302


def test_messages_visible_only_to_parties(login, client, professor, reviewer, alice, bob, outsider):
    listing = publish(professor, reviewer)
    interest = services.do_express_interest(listing, acting_user=alice, note="想合作", anonymous=True)
    services.do_send_message(interest, acting_user=alice, body="秘密报价 100 万")
    url = reverse("techmarket:interest", args=[interest.pk])
    for user in (bob, outsider):
        login(user)
        assert client.get(url).status_code == 404
        assert client.get(f"/api/market/interests/{interest.pk}/messages").status_code == 404
        assert client.post(url, {"action": "message", "body": "hi"}).status_code == 404
    login(professor)
    page = client.get(url).content.decode()
    assert "秘密报价" in page and "南宁阿克米" not in page  # anonymous: the owner does not see who
    assert client.get(f"/api/market/interests/{interest.pk}").json()["organisation_name"] is None
    login(reviewer)
    assert "南宁阿克米" in client.get(url).content.decode()  # the broker does
    login(alice)
    assert client.post(url, {"action": "message", "body": "追加"}).status_code == 302


def test_cross_language_search_through_index_job(login, client, professor, reviewer, alice):
    """A Vietnamese query finds the Chinese achievement once the background job has indexed it."""
    achievement = publish(professor, reviewer)
    publish(
        professor,
        reviewer,
        title="榴莲果肉速冻保鲜技术",
        summary="液氮速冻与气调包装，榴莲果肉保质期18个月。",
        industry="13",
        ipc_codes="A23B 7/04",
        patents=[],
    )
    demand = publish(
        alice,
        reviewer,
        kind="demand",
        language="vi",
        title="Cần công nghệ sản xuất cồn từ sắn",
        summary="Nhà máy cần công nghệ lên men ethanol từ sắn tiết kiệm năng lượng.",
        industry="25",
        ipc_codes="C12P 7/10",
        patents=[],
    )
    jobs = run_pending()
    assert jobs and all(j.status == Job.Status.SUCCEEDED for j in jobs), [j.error for j in jobs]
    manifest = read_manifest(index_dir())
    assert manifest["generation"] >= 1 and (index_dir() / manifest["base"] / "bm25.npz").exists()
    login(alice)
    response = client.get(reverse("techmarket:home"), {"q": "công nghệ lên men cồn từ sắn"})
    body = response.content.decode()
    assert response.status_code == 200 and body.index("木薯燃料乙醇") < body.index("榴莲果肉")
    hits = client.get(
        "/api/market/search", {"q": "cồn nhiên liệu từ sắn", "language": "vi", "kind": "achievement"}
    ).json()
    assert hits[0]["listing_id"] == achievement.pk and hits[0]["title_language"] == "zh-hans"
    assert client.get("/api/market/search", {"q": "x", "language": "klingon"}).status_code == 400
    # a demand searched as written: a few sentences pass, beyond 1,000 characters is refused
    need = "Chúng tôi cần công nghệ sản xuất cồn nhiên liệu từ sắn, tiết kiệm năng lượng. " * 7
    long_hits = client.get("/api/market/search", {"q": need[:990], "kind": "achievement"})
    assert len(need[:990]) > 200 and long_hits.status_code == 200
    assert long_hits.json()[0]["listing_id"] == achievement.pk
    assert client.get("/api/market/search", {"q": "x" * 1001}).status_code == 422
    forget_cached_indexes()  # a restart: the index is loaded back from disk, nothing re-embedded
    again = client.get(
        "/api/market/search", {"q": "cồn nhiên liệu từ sắn", "language": "vi", "kind": "achievement"}
    ).json()
    assert again[0]["listing_id"] == achievement.pk
    match = Match.objects.filter(demand=demand).order_by("rank").first()
    assert (
        match.achievement_id == achievement.pk
        and match.reasons["industry"] == "25"
        and match.reasons["ipc"] == ["C12P"]
    )
    assert Notification.objects.filter(organisation_id=alice.organisation_id, kind="match").exists()
    login(professor)
    assert (
        "Cần công nghệ sản xuất cồn từ sắn"
        in client.get(reverse("techmarket:detail", args=[achievement.pk])).content.decode()
    )


def test_api_create_listing_and_interest(login, client, alice, professor, reviewer):
    login(alice)
    response = client.post(
        "/api/market/listings",
        {
            **ACHIEVEMENT,
            "kind": "demand",
            "language": "en",
            "title": "Need cassava ethanol technology",
            "summary": "<img src=x onerror=alert(1)> low energy",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert response.json()["texts"][0]["summary"].startswith("<img")
    again = client.post(
        "/api/market/listings",
        {
            **ACHIEVEMENT,
            "kind": "demand",
            "language": "en",
            "title": "Need cassava ethanol technology",
            "summary": "<img src=x onerror=alert(1)> low energy",
        },
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate_listing"
    listing = publish(professor, reviewer)
    r = client.post(
        f"/api/market/listings/{listing.pk}/interests",
        {"note": "interested"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert (
        client.post(
            f"/api/market/listings/{listing.pk}/interests", {"note": "again"}, content_type="application/json"
        ).status_code
        == 409
    )
