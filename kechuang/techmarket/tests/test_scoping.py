"""Conversations follow the listings' city scoping; roles, not only organisations, make a listing owner."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions import techmarket as perm
from kechuang.techmarket import services
from kechuang.testing import make_user

from .conftest import publish


@pytest.fixture
def nanning_conversation(professor, reviewer, bob):
    """A Nanning university's listing and Bob's (Liuzhou) interest in it."""
    listing = publish(professor, reviewer)
    assert listing.city_id == "450100"
    return services.do_express_interest(listing, acting_user=bob, note="我们想获得许可")


def test_a_city_reviewer_cannot_read_or_post_in_another_citys_conversation(
    nanning_conversation, liuzhou_reviewer, reviewer, login
):
    interest = nanning_conversation
    with pytest.raises(Http404):
        perm.access_interest_by_id(liuzhou_reviewer, interest.pk)
    with pytest.raises(PermissionDenied):
        services.do_send_message(interest, acting_user=liuzhou_reviewer, body="柳州审核员")
    with pytest.raises(PermissionDenied):
        services.do_set_stage(interest, acting_user=liuzhou_reviewer, stage="meeting")
    # the province-wide reviewer still brokers it
    assert perm.access_interest_by_id(reviewer, interest.pk) == interest
    services.do_send_message(interest, acting_user=reviewer, body="省厅经纪人")


def test_an_expert_of_the_owning_organisation_does_not_act_as_the_listing_owner(
    nanning_conversation, university
):
    interest = nanning_conversation
    expert = make_user("uni_expert", org=university, role=Role.EXPERT)
    assert not perm.is_owner(expert, interest.listing)
    with pytest.raises(Http404):
        perm.access_interest_by_id(expert, interest.pk)
    with pytest.raises(PermissionDenied):
        services.do_send_message(interest, acting_user=expert, body="以专家身份冒充发布方")
