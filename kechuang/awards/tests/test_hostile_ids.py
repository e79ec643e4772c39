"""Row ids posted to the awards pages are parsed (bounds.parse_int): 2^64 or 5,000 digits name nothing, never a 500
(found by the authorisation matrix's hostile-parameter test on the public notice)."""

import pytest

from kechuang.awards.services import do_propose_grade, do_start_notice
from kechuang.awards.tests.test_awards import TODAY, nominate, walk_to_committee_pass

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [str(2**64), "9" * 5000, "-1", "１２"])
def test_a_hostile_nomination_id_on_the_public_notice_names_nothing(
    client, call, alice, admin_user, department, value
):
    nomination = walk_to_committee_pass(call, nominate(call, alice), admin_user, department)
    do_propose_grade(nomination, acting_user=admin_user, grade_code="first")
    do_start_notice(call, acting_user=admin_user, start=TODAY)
    form = {
        "nomination": value,
        "name": "张三",
        "contact": "13800000000",
        "text": "该项目的应用证明存在问题。",
    }
    response = client.post(f"/awards/notices/{call.pk}/", form)
    assert response.status_code == 404
