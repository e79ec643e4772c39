import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.testing import make_org

pytestmark = pytest.mark.django_db


def test_queries_per_list_page_do_not_grow_with_page_size(login, reviewer):
    for i in range(60):
        make_org(
            f"南宁测试科技{i:02d}有限公司",
            region="450103" if i % 2 else "450102",
            industry="39" if i % 3 else "34",
        )
    client = login(reviewer)
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                reverse("registry:organisation_list"), {"q": "科技", "city": "450100", "per_page": per_page}
            )
        counts[per_page] = len(ctx.captured_queries)
        assert len(response.context["page"].object_list) == min(per_page, 60)
    assert counts[25] == counts[100]


def test_search_matches_name_and_credit_code_case_insensitively(login, reviewer):
    org = make_org("南宁Alpha科技有限公司", name_en="Nanning Alpha Tech")
    make_org("柳州其他机械有限公司", region="450202")
    client = login(reviewer)
    for term in ("alpha", "ALPHA", org.credit_code.lower(), "Alpha科技"):
        page = client.get(reverse("registry:organisation_list"), {"q": term}).context["page"]
        assert [o.pk for o in page.object_list] == [org.pk], term


def test_filters_combine(login, reviewer):
    from kechuang.registry.models import EnterpriseSize

    wanted = make_org("南宁规上软件有限公司", region="450103", industry="65", size=EnterpriseSize.ABOVE_SCALE)
    make_org("南宁规下软件有限公司", region="450103", industry="65", size=EnterpriseSize.BELOW_SCALE)
    make_org("柳州规上软件有限公司", region="450202", industry="65", size=EnterpriseSize.ABOVE_SCALE)
    page = (
        login(reviewer)
        .get(
            reverse("registry:organisation_list"),
            {"q": "软件", "city": "450100", "size": "above", "industry_section": "I"},
        )
        .context["page"]
    )
    assert [o.pk for o in page.object_list] == [wanted.pk]


def test_htmx_requests_get_only_the_results_fragment(login, reviewer, acme):
    response = login(reviewer).get(reverse("registry:organisation_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and acme.name in body
