import pytest

from kechuang.registry.models import OrganisationKind
from kechuang.techmarket import services
from kechuang.techmarket.indexing import forget_cached_indexes
from kechuang.testing import make_org, make_user


@pytest.fixture(autouse=True)
def market_data_dir(settings, tmp_path):
    """Each test gets its own index directory under a temporary DATA_DIR."""
    settings.DATA_DIR = tmp_path / "data"
    forget_cached_indexes()
    yield settings.DATA_DIR
    forget_cached_indexes()


@pytest.fixture
def university(db):
    return make_org("广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12")


@pytest.fixture
def professor(university):
    from kechuang.accounts.models import Role

    return make_user("prof", org=university, role=Role.MEMBER)


ACHIEVEMENT = {
    "kind": "achievement",
    "language": "zh-hans",
    "title": "木薯燃料乙醇浓醪发酵技术",
    "summary": "以鲜木薯为原料，采用耐高温酵母浓醪同步糖化发酵，乙醇浓度达16%，吨乙醇能耗降低20%。",
    "trl": 7,
    "industry": "25",
    "ipc_codes": "C12P 7/06",
    "transfer_mode": "licence",
    "price_mode": "negotiable",
    "patents": ["201710601862.3"],
}


def publish(user, reviewer, **overrides):
    fields = {**ACHIEVEMENT, **overrides}
    listing = services.do_create_listing(acting_user=user, **fields)
    return services.do_review_listing(listing, acting_user=reviewer, approve=True)
