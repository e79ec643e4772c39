"""A call is opened only by the department that runs its scheme: one call per scheme and year, so another
department opening "its own" 广西科学技术奖 would take the year's call from the 科技厅."""

import pytest
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.awards.models import AwardCall
from kechuang.awards.tests.conftest import departments  # noqa: F401  (a fixture)
from kechuang.registry.models import DepartmentType
from kechuang.testing import make_user

YEAR = timezone.localdate().year + 1
BODY = {"kind": "st_award", "year": YEAR, "nomination_deadline": f"{YEAR}-06-01", "quotas": []}


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPROVER])
def test_another_department_cannot_open_the_years_st_award_call(client, departments, role):  # noqa: F811
    official = make_user("fin_official", org=departments[DepartmentType.FINANCE], role=role)
    client.force_login(official)
    response = client.post("/api/awards/calls", BODY, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not AwardCall.objects.exists()


def test_the_science_department_opens_it_and_a_city_bureau_does_not(client, reviewer, liuzhou_reviewer):
    client.force_login(liuzhou_reviewer)
    assert client.post("/api/awards/calls", BODY, content_type="application/json").status_code == 403
    client.force_login(reviewer)
    response = client.post("/api/awards/calls", BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    assert AwardCall.objects.get().department == reviewer.organisation
