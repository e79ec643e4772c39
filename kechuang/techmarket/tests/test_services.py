from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError
from kechuang.techmarket import services
from kechuang.techmarket.models import Interest, Listing, ListingStatus, Notification, TextOrigin
from kechuang.techmarket.stats import market_stats

from .conftest import ACHIEVEMENT, publish


def test_create_review_publish_and_audit(professor, reviewer):
    listing = services.do_create_listing(acting_user=professor, **ACHIEVEMENT)
    assert listing.status == ListingStatus.PENDING and listing.city_id == "450100"
    assert listing.texts.get().origin == TextOrigin.ORIGINAL
    assert list(listing.patents.values_list("number", flat=True)) == ["201710601862.3"]
    services.do_review_listing(listing, acting_user=reviewer, approve=True)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_at > timezone.now() + timedelta(days=300)
    actions = set(AuditEntry.objects.filter(target_id=str(listing.pk)).values_list("action", flat=True))
    assert {"techmarket.listing.create", "techmarket.listing.review"} <= actions


def test_only_publishers_with_an_organisation_create(outsider, reviewer):
    with pytest.raises(PermissionDenied):
        services.do_create_listing(acting_user=outsider, **ACHIEVEMENT)
    with pytest.raises(PermissionDenied):
        services.do_create_listing(acting_user=reviewer, **ACHIEVEMENT)


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"title": "   "}, "text_required"),
        ({"summary": ""}, "text_required"),
        ({"summary": "长" * 5001}, "text_too_long"),
        ({"language": "xx"}, "unsupported_language"),
        ({"language": "th", "title": "Cassava ethanol", "summary": "English text"}, "unsupported_language"),
        ({"language": "en"}, "unsupported_language"),  # Chinese text declared as English
        ({"patents": ["201710601862.4"]}, "invalid_patent"),
        ({"ipc_codes": "nonsense"}, "invalid_ipc"),
        ({"trl": 10}, "invalid"),
        ({"price_mode": "listed", "price_fen": None}, "invalid"),
        ({"price_fen": -5}, "invalid"),
    ],
)
def test_bad_input_is_refused_with_a_clear_code(professor, override, code):
    with pytest.raises(DomainError) as exc:
        services.do_create_listing(acting_user=professor, **{**ACHIEVEMENT, **override})
    assert str(exc.value.code) == code and str(exc.value.message)
    assert not Listing.objects.exists()


def test_mixed_language_text_and_html_are_kept_verbatim(professor):
    listing = services.do_create_listing(
        acting_user=professor,
        **{
            **ACHIEVEMENT,
            "title": "木薯乙醇 cassava ethanol <script>alert(1)</script>",
            "summary": "<b>高浓度</b> fermentation ทุเรียน 技术说明",
        },
    )
    text = listing.texts.get()
    assert text.title.endswith("<script>alert(1)</script>") and text.summary.startswith("<b>")


def test_duplicate_listing_from_same_owner_refused_but_other_owner_may(professor, alice, reviewer):
    first = services.do_create_listing(acting_user=professor, **ACHIEVEMENT)
    with pytest.raises(DomainError) as exc:
        services.do_create_listing(
            acting_user=professor, **{**ACHIEVEMENT, "title": ACHIEVEMENT["title"] + "！"}
        )
    assert exc.value.code == "duplicate_listing" and exc.value.details["existing_id"] == first.pk
    assert services.do_create_listing(acting_user=alice, **ACHIEVEMENT).owner_id == alice.organisation_id


def test_translation_rows_marked_and_reader_sees_own_language(professor, reviewer):
    listing = publish(professor, reviewer)
    services.do_set_text(
        listing,
        acting_user=professor,
        language="vi",
        origin="machine",
        title="Công nghệ lên men cồn từ sắn",
        summary="Lên men nồng độ cao, tiết kiệm 20% năng lượng.",
    )
    listing = Listing.objects.prefetch_related("texts").get(pk=listing.pk)
    assert listing.text_for("vi").origin == TextOrigin.MACHINE  # the owner's own (machine-assisted) version
    assert listing.text_for("th").language == "zh-hans"  # the original when no Thai or English row
    with pytest.raises(DomainError):
        services.do_set_text(
            listing, acting_user=professor, language="vi", origin="original", title="x", summary="y"
        )


def test_reader_sees_own_language_else_english_else_original(professor, reviewer, outsider):
    from kechuang.accounts.models import Role
    from kechuang.registry.models import OrganisationKind
    from kechuang.techmarket.models import ListingText
    from kechuang.testing import make_org, make_user

    listing = publish(professor, reviewer)
    # a machine-translation service's Thai row (nobody added it) ...
    ListingText.objects.create(
        listing=listing, language="th", origin=TextOrigin.MACHINE, title="เอทานอลจากมันสำปะหลัง", summary="หมัก"
    )
    broker = make_user(
        "broker", org=make_org("东盟技术转移中心", kind=OrganisationKind.TECH_TRANSFER), role=Role.MEMBER
    )
    # ... a 技术经纪人 adds a verified English version of someone else's live listing
    services.do_set_text(
        listing,
        acting_user=broker,
        language="en",
        origin="verified",
        title="Cassava fuel ethanol by high-gravity fermentation",
        summary="16% ethanol, 20% less energy per tonne.",
    )
    with pytest.raises(PermissionDenied):
        services.do_set_text(
            listing, acting_user=outsider, language="ms", origin="machine", title="x", summary="y"
        )
    listing = Listing.objects.prefetch_related("texts").get(pk=listing.pk)
    shown = listing.text_for("th")
    assert (shown.language, shown.origin) == (
        "en",
        TextOrigin.VERIFIED,
    )  # verified English before a machine row
    assert listing.text_for("km").language == "en"
    assert listing.text_for("zh-hans").origin == TextOrigin.ORIGINAL
    row = ListingText.objects.get(listing=listing, language="th")
    services.do_verify_text(row, acting_user=broker)
    listing = Listing.objects.prefetch_related("texts").get(pk=listing.pk)
    shown = listing.text_for("th")
    assert (shown.language, shown.origin, shown.verified_by_id) == ("th", TextOrigin.VERIFIED, broker.pk)
    assert AuditEntry.objects.filter(action="techmarket.listing.text_verify").count() == 1


def test_edit_sends_published_listing_back_to_review(professor, reviewer, bob):
    listing = publish(professor, reviewer)
    with pytest.raises(PermissionDenied):
        services.do_update_listing(listing, acting_user=bob, trl=9)
    services.do_update_listing(listing, acting_user=professor, trl=8, summary="更新后的简介：能耗降低25%。")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING and listing.trl == 8


def test_expiry_reminder_and_renewal(professor, reviewer, settings):
    settings.TECHMARKET_LISTING_DAYS = 10
    listing = publish(professor, reviewer)
    result = services.do_expire_listings(now=timezone.now() + timedelta(days=5))
    assert result == {"expired": 0, "reminded": 1}
    assert Notification.objects.filter(listing=listing, kind="renew").exists()
    result = services.do_expire_listings(now=timezone.now() + timedelta(days=11))
    listing.refresh_from_db()
    assert result["expired"] == 1 and listing.status == ListingStatus.EXPIRED
    services.do_renew_listing(listing, acting_user=professor)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED and listing.expires_at > timezone.now() + timedelta(
        days=9
    )


def test_interest_messages_and_pipeline(professor, reviewer, alice, bob):
    listing = publish(professor, reviewer)
    with pytest.raises(DomainError):
        services.do_express_interest(listing, acting_user=professor, note="自己")
    interest = services.do_express_interest(listing, acting_user=alice, note="我们想获得许可", anonymous=True)
    listing.refresh_from_db()
    assert listing.interest_count == 1
    with pytest.raises(DomainError):
        services.do_express_interest(listing, acting_user=alice, note="again")
    services.do_send_message(interest, acting_user=professor, body="欢迎来南宁面谈")
    with pytest.raises(PermissionDenied):
        services.do_send_message(interest, acting_user=bob, body="我也想看")
    services.do_set_stage(interest, acting_user=alice, stage="meeting")
    with pytest.raises(DomainError):
        services.do_set_stage(interest, acting_user=alice, stage="interest")
    assert Interest.objects.get(pk=interest.pk).stage == "meeting"


def test_follow_up_and_contract_and_stats(alice, reviewer, professor, university):
    demand = publish(
        alice, reviewer, kind="demand", title="求购木薯乙醇发酵技术", summary="需要降低能耗的木薯乙醇工艺。"
    )
    with pytest.raises(PermissionDenied):
        services.do_record_follow_up(demand, acting_user=alice, called_at=timezone.now(), outcome="reached")
    services.do_record_follow_up(
        demand, acting_user=reviewer, called_at=timezone.now(), outcome="progressing", note="电话已联系"
    )
    with pytest.raises(DomainError):
        services.do_record_follow_up(
            demand, acting_user=reviewer, called_at=timezone.now() + timedelta(days=1), outcome="reached"
        )
    kwargs = {
        "registration_number": "4501012026000123",
        "kind": "licensing",
        "title": "木薯乙醇技术许可",
        "seller": university,
        "buyer_name": "Vina Ethanol JSC",
        "buyer_country": "VN",
        "amount_fen": 5_000_000_00,
        "tech_income_fen": 4_000_000_00,
        "signed_on": timezone.localdate(),
    }
    with pytest.raises(PermissionDenied):
        services.do_register_contract(acting_user=alice, **kwargs)
    with pytest.raises(DomainError):
        services.do_register_contract(acting_user=reviewer, **{**kwargs, "tech_income_fen": 6_000_000_00})
    services.do_register_contract(acting_user=reviewer, **kwargs)
    with pytest.raises(DomainError) as exc:
        services.do_register_contract(acting_user=reviewer, **kwargs)
    assert exc.value.code == "duplicate_contract"
    today = timezone.localdate()
    figures = market_stats(reviewer, start=date(today.year, 1, 1), end=today)
    assert figures["contracts"] == 1 and figures["contract_amount_fen"] == 5_000_000_00
    assert figures["demands_followed_up"] == 1 and figures["enterprises_served"] == 1
    assert figures["by_country"][0]["buyer_country"] == "VN"
    assert market_stats(reviewer, start=date(today.year, 1, 1), end=today, country="TH")["contracts"] == 0


def test_expire_job_runs_through_the_queue(professor, reviewer, settings):
    from kechuang.jobs.queue import enqueue, run_pending

    settings.TECHMARKET_LISTING_DAYS = 0
    listing = publish(professor, reviewer)
    run_pending()
    enqueue("techmarket.expire")
    job = next(j for j in run_pending() if j.kind == "techmarket.expire")
    listing.refresh_from_db()
    assert job.result["expired"] == 1 and listing.status == ListingStatus.EXPIRED
