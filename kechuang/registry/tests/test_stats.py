import datetime as dt

import pytest

from kechuang.registry.models import CertificationKind, Organisation
from kechuang.registry.services import do_add_certification
from kechuang.registry.stats import registry_overview

pytestmark = pytest.mark.django_db


def test_high_tech_count_uses_certificates_valid_on_the_date_asked(acme, globex):
    """An organisation whose certificate expired is not high-tech any more (issue: every organisation that ever
    held a certificate was counted)."""
    do_add_certification(
        acme,
        kind=CertificationKind.HIGH_TECH,
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2021, 12, 31),
        acting_user=None,
    )
    do_add_certification(
        globex,
        kind=CertificationKind.HIGH_TECH,
        valid_from=dt.date(2022, 6, 1),
        valid_to=dt.date(2025, 5, 31),
        acting_user=None,
    )
    orgs = Organisation.objects.all()
    assert registry_overview(orgs, on=dt.date(2020, 6, 1))["hightech"] == 1
    assert registry_overview(orgs, on=dt.date(2023, 6, 1))["hightech"] == 1
    assert registry_overview(orgs, on=dt.date(2022, 1, 1))["hightech"] == 0
    assert registry_overview(orgs, on=dt.date(2026, 1, 1))["hightech"] == 0


def test_statistics_api_answers_for_the_date_asked(client, reviewer, alice, acme):
    do_add_certification(
        acme,
        kind=CertificationKind.HIGH_TECH,
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2021, 12, 31),
        acting_user=None,
    )
    client.force_login(reviewer)
    assert client.get("/api/registry/statistics", {"on": "2020-01-01"}).json()["hightech"] == 1
    assert client.get("/api/registry/statistics", {"on": "2023-01-01"}).json()["hightech"] == 0
    client.force_login(alice)
    assert client.get("/api/registry/statistics").status_code == 403
