"""The region's quotas for recommending to the national awards: data with a source and a verified mark, enforced
by the service, shown to officials beside the reward rates (the defence reward's amount is unverified)."""

import pytest

from kechuang.awards import schemes
from kechuang.awards.errors import AwardError
from kechuang.awards.models import NationalAwardKind
from kechuang.awards.services import do_recommend_national, do_register_national, region_used
from kechuang.awards.tests.test_awards import TODAY
from kechuang.awards.tests.test_payouts import approved_call
from kechuang.errors import DomainError
from kechuang.registry.models import OrganisationKind
from kechuang.testing import make_org

QUOTAS = f"""
national_st:
  name: 国家科学技术奖
  categories:
    natural_science: {{name: 国家自然科学奖, from: [natural_science]}}
    st_progress: {{name: 国家科学技术进步奖, from: [st_progress]}}
  versions:
    - {{from_year: 2020, document: 旧通知, verified: false, quotas: {{natural_science: 1, st_progress: 1}}}}
    - {{from_year: {TODAY.year + 1}, document: 新通知, verified: true, quotas: {{natural_science: 1, st_progress: 2}}}}
china_patent:
  name: 中国专利奖
  categories:
    design: {{name: 中国外观设计奖, from: [design]}}
  versions:
    - {{from_year: 2020, document: 通知, verified: false, quotas: {{design: 1}}}}
"""


@pytest.fixture
def small_quotas(tmp_path, monkeypatch):
    path = tmp_path / "national_quotas.yaml"
    path.write_text(QUOTAS, encoding="utf-8")
    monkeypatch.setattr(schemes, "NATIONAL_QUOTAS", path)
    schemes.national_schemes.cache_clear()
    yield
    schemes.national_schemes.cache_clear()


def test_the_shipped_quotas_cover_every_category_this_year_and_say_they_are_unverified():
    for kind in NationalAwardKind.values:
        for category in schemes.national_categories(kind):
            quota = schemes.national_quota(kind, category, TODAY.year)
            assert quota is not None and quota.quota > 0
            assert quota.document and not quota.verified
    assert schemes.national_quota("national_st", "st_progress", 2019) is None
    # every Guangxi category has a national category to go to by default
    for kind, national in (("st_award", "national_st"), ("patent_award", "china_patent")):
        for category in schemes.categories(kind):
            assert schemes.national_category_for(national, category)


def test_versions_apply_from_their_year(small_quotas):
    assert schemes.national_quota("national_st", "st_progress", TODAY.year).quota == 1
    newer = schemes.national_quota("national_st", "st_progress", TODAY.year + 1)
    assert (newer.quota, newer.document, newer.verified) == (2, "新通知", True)


def test_a_recommendation_beyond_the_quota_is_refused(
    small_quotas, call, alice, bob, admin_user, department, reviewer
):
    call, first, second = approved_call(call, alice, bob, admin_user, department)
    entry = do_recommend_national(first, acting_user=admin_user, year=TODAY.year)
    assert entry.category == "st_progress"
    # another channel's project does not use the region's quota
    do_register_national(
        acting_user=reviewer,
        kind=NationalAwardKind.NATIONAL_ST,
        year=TODAY.year,
        title="院士提名项目",
        lead_unit=make_org("广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12"),
        led_by_guangxi=True,
        channel="院士提名",
        category="st_progress",
    )
    assert region_used("national_st", "st_progress", TODAY.year) == 1
    with pytest.raises(DomainError) as refused:
        do_recommend_national(second, acting_user=admin_user, year=TODAY.year)
    assert refused.value.code == AwardError.NATIONAL_QUOTA_EXCEEDED
    assert refused.value.status == 409
    with pytest.raises(DomainError) as unknown:
        do_recommend_national(second, acting_user=admin_user, year=TODAY.year, category="no_such")
    assert unknown.value.status == 422
    # the next year's notice allows two; or this year, in a category with room left
    assert do_recommend_national(second, acting_user=admin_user, year=TODAY.year, category="natural_science")
    assert region_used("national_st", "natural_science", TODAY.year) == 1


def test_officials_see_the_quotas_and_the_unverified_rates(
    small_quotas, client, call, alice, bob, admin_user, department, reviewer
):
    call, first, _second = approved_call(call, alice, bob, admin_user, department)
    do_recommend_national(first, acting_user=admin_user, year=TODAY.year)
    client.force_login(reviewer)
    page = client.get("/awards/national/").content.decode()
    assert 'data-flag="quota-unverified"' in page
    assert "旧通知" in page and "新通知" in page
    # the defence reward's amount comes from the policy rule, marked unverified there
    assert 'data-flag="param-unverified"' in page
    assert "20.00 万元" in page
    # the recommendation form (for the second winner) offers the national categories, its own preselected
    client.force_login(admin_user)
    call_page = client.get(f"/awards/calls/{call.pk}/").content.decode()
    assert '<option value="st_progress" selected>' in call_page
    assert '<option value="natural_science">' in call_page
