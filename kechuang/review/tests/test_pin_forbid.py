"""Officials pin and forbid from the process page and the API; a re-run keeps the pin and leaves the forbidden pair
out; nobody else may, and a closed stage takes no corrections."""

from kechuang.accounts.models import Role
from kechuang.review.models import Assignment, Forbidden, StageStatus
from kechuang.review.services import do_assign
from kechuang.review.tests.test_services import pass_formal
from kechuang.testing import make_user


def test_pin_and_forbid_from_the_page_and_the_api(client, process, submissions, experts, admin_user, acme):
    online = pass_formal(process, submissions, admin_user)
    wang, li = experts[0].expert_profile, experts[1].expert_profile
    url = f"/review/processes/{process.pk}/stages/{online.pk}/"
    client.force_login(admin_user)
    page = client.get(f"/review/processes/{process.pk}/?stage={online.pk}").content.decode()
    assert 'value="pin"' in page and f'<option value="{li.pk}">' in page
    # the sugar expert pinned to the machine-tool work, the machine-tool expert forbidden from it
    client.post(url, {"action": "pin", "submission": submissions[0].pk, "expert": li.pk})
    client.post(url, {"action": "forbid", "submission": submissions[0].pk, "expert": wang.pk})
    assert Assignment.objects.get(stage=online, submission=submissions[0], expert=li).pinned
    do_assign(online, acting_user=admin_user)
    mine = Assignment.objects.filter(stage=online, submission=submissions[0])
    assert li.pk in set(mine.values_list("expert_id", flat=True))
    assert not mine.filter(expert=wang).exists()
    # the API: forbid the pinned expert again (the pin is withdrawn), then pin back
    api = f"/api/review/processes/{process.pk}/stages/{online.pk}"
    body = {"submission_id": submissions[0].pk, "expert_id": li.pk}
    assert client.post(f"{api}/forbid", body, content_type="application/json").status_code == 204
    assert not mine.filter(expert=li).exists()
    assert client.post(f"{api}/pin", body, content_type="application/json").status_code == 204
    assert mine.filter(expert=li, pinned=True).exists()
    assert not Forbidden.objects.filter(stage=online, submission=submissions[0], expert=li).exists()
    missing = {"submission_id": submissions[0].pk, "expert_id": 10**9}
    assert client.post(f"{api}/pin", missing, content_type="application/json").status_code == 404
    # an enterprise user cannot see the process; a closed stage takes no corrections
    client.force_login(make_user("acme_admin_pf", org=acme, role=Role.ORG_ADMIN))
    assert client.post(f"{api}/pin", body, content_type="application/json").status_code == 404
    assert (
        client.post(url, {"action": "pin", "submission": submissions[0].pk, "expert": li.pk}).status_code
        == 404
    )
    online.status = StageStatus.CLOSED
    online.save(update_fields=["status"])
    client.force_login(admin_user)
    refused = client.post(f"{api}/forbid", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_state"
