"""The talks after an expression of interest follow one table (techmarket/states.py): stages move forward,
either side may end them, a closed conversation takes no message, and the page offers only allowed steps."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.techmarket import services
from kechuang.techmarket.models import Interest, InterestStage
from kechuang.techmarket.states import INTEREST

from .conftest import publish


@pytest.fixture
def interest(professor, reviewer, alice):
    listing = publish(professor, reviewer)
    return services.do_express_interest(listing, acting_user=alice, note="我们想获得许可")


def test_both_sides_and_the_broker_are_offered_every_forward_step_and_closing(
    interest, professor, alice, reviewer
):
    expected = ["message", "meet", "sign", "contract", "close"]
    for user in (professor, alice, reviewer):
        assert INTEREST.available(user, interest) == expected


def test_nobody_outside_the_talks_is_offered_a_step_or_may_take_one(interest, bob):
    assert INTEREST.available(bob, interest) == []
    with pytest.raises(PermissionDenied):
        services.do_set_stage(interest, acting_user=bob, stage="meeting")


def test_a_stage_may_be_skipped_and_each_move_is_audited(interest, professor):
    services.do_set_stage(interest, acting_user=professor, stage="signing")
    assert Interest.objects.get(pk=interest.pk).stage == InterestStage.SIGNING
    entry = AuditEntry.objects.get(action="techmarket.interest.stage", target_id=str(interest.pk))
    assert entry.changes == {"stage": ["interest", "signing"]}


def test_going_back_is_refused_with_the_state_code_and_the_stage_stays(interest, alice):
    services.do_set_stage(interest, acting_user=alice, stage="signing")
    with pytest.raises(StateError) as refusal:
        services.do_set_stage(interest, acting_user=alice, stage="meeting")
    assert refusal.value.code == ErrorCode.INVALID_STATE
    assert refusal.value.details == {"status": "signing", "action": "meet"}
    with pytest.raises(StateError):
        services.do_set_stage(interest, acting_user=alice, stage="interest")
    assert Interest.objects.get(pk=interest.pk).stage == InterestStage.SIGNING


def test_asking_for_the_current_stage_changes_nothing(interest, alice):
    services.do_set_stage(interest, acting_user=alice, stage="meeting")
    services.do_set_stage(interest, acting_user=alice, stage="meeting")
    assert AuditEntry.objects.filter(action="techmarket.interest.stage").count() == 1


def test_an_unknown_stage_is_invalid_input_not_a_state_refusal(interest, alice):
    with pytest.raises(DomainError) as refusal:
        services.do_set_stage(interest, acting_user=alice, stage="married")
    assert refusal.value.code == ErrorCode.INVALID


def test_closed_talks_take_no_message_and_no_further_stage(interest, professor, alice):
    services.do_set_stage(interest, acting_user=professor, stage="closed")
    interest.refresh_from_db()
    assert INTEREST.available(alice, interest) == []
    with pytest.raises(StateError) as refusal:
        services.do_send_message(interest, acting_user=alice, body="还能谈吗？")
    assert refusal.value.details == {"status": "closed", "action": "message"}
    with pytest.raises(StateError):
        services.do_set_stage(interest, acting_user=alice, stage="contracted")


def test_registering_a_contract_records_the_talks_as_contracted(interest, reviewer, university):
    services.do_register_contract(
        acting_user=reviewer,
        registration_number="4501012026000999",
        kind="licensing",
        title="木薯乙醇技术许可",
        seller=university,
        buyer_name="南宁阿克米科技有限公司",
        amount_fen=1_000_000_00,
        tech_income_fen=800_000_00,
        signed_on=timezone.localdate(),
        listing=interest.listing,
        interest=interest,
    )
    assert Interest.objects.get(pk=interest.pk).stage == InterestStage.CONTRACTED
    entry = AuditEntry.objects.get(action="techmarket.contract.register")
    assert entry.changes["interest_stage"] == ["interest", "contracted"]
    assert "record_contract" not in INTEREST.available(reviewer, Interest.objects.get(pk=interest.pk))


def test_the_page_shows_the_allowed_steps_as_buttons_and_moves_by_them(interest, alice, login):
    client = login(alice)
    url = reverse("techmarket:interest", args=[interest.pk])
    page = client.get(url).content.decode()
    assert 'value="signing"' in page and 'value="interest"' not in page
    client.post(url, {"action": "stage", "stage": "signing"})
    page = client.get(url).content.decode()
    assert 'value="meeting"' not in page and 'value="contracted"' in page
    client.post(url, {"action": "stage", "stage": "closed"})
    page = client.get(url).content.decode()
    assert 'name="stage"' not in page and 'name="body"' not in page


def test_a_notice_reads_in_each_readers_language_and_names_its_listing(interest, professor, login):
    """The owner's notice was stored in the organisation's language; each reader sees it in their own."""
    from django.utils import translation

    from kechuang.techmarket.models import Notification

    note = Notification.objects.get(organisation_id=professor.organisation_id, kind="review")
    assert note.params == {"approved": True, "note": ""}
    with translation.override("zh-hans"):
        chinese = note.message
    with translation.override("en"):
        english = note.message
    assert chinese == note.text and english != chinese and english.isascii()
    page = login(professor).get(reverse("techmarket:dashboard")).content.decode()
    assert interest.listing.texts.get().title in page and chinese in page


def test_an_old_notice_without_params_shows_its_stored_text():
    from kechuang.techmarket.models import Notification
    from kechuang.techmarket.notify import notice_text

    assert notice_text(Notification(kind="review", text="旧的通知")) == "旧的通知"
    assert notice_text(Notification(kind="unknown", text="别的通知")) == "别的通知"
