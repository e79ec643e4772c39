"""Test actors and builders shared by every app's tests. Setup goes through the real services."""

import itertools
import random

from kechuang.accounts.models import Role
from kechuang.accounts.services import do_create_user
from kechuang.codes import make_credit_code
from kechuang.registry.models import EnterpriseSize, OrganisationKind
from kechuang.registry.services import do_create_organisation, do_record_indicator

PASSWORD = "Test-Password-2026"
_counter = itertools.count(1)
_rng = random.Random(7)


def unique_credit_code(region_code: str = "450103", registration: str = "91") -> str:
    body = f"T{next(_counter):07d}"
    return make_credit_code(region_code, body, registration)


def make_org(
    name=None,
    *,
    kind=OrganisationKind.ENTERPRISE,
    region="450103",
    industry="39",
    size=EnterpriseSize.ABOVE_SCALE,
    **extra,
):
    n = next(_counter)
    registration = extra.pop("registration", "91")
    return do_create_organisation(
        acting_user=None,
        credit_code=extra.pop("credit_code", None) or unique_credit_code(region, registration),
        name=name or f"测试企业{n}有限公司",
        kind=kind,
        region=region,
        industry=industry,
        size=size,
        **extra,
    )


def make_user(username, *, org=None, role=Role.MEMBER, city=None):
    from kechuang.registry.models import Region

    city_obj = Region.objects.get(code=city) if city else None
    return do_create_user(
        username,
        PASSWORD,
        organisation=org,
        role=role,
        city=city_obj,
        display_name=username,
        acting_user=None,
        check_password=False,
    )


def record_indicators(org, year, *, source=None, **figures):
    """System-written figures; each carries `source` or, by default, the first source its policy input accepts
    (the statistics bureau for R&D spending, the tax authority for the super-deduction base, …)."""
    from kechuang.policy.engine.variables import accepted_sources

    for code, value in figures.items():
        chosen = source or (accepted_sources(code) or ("verified",))[0]
        do_record_indicator(org, code, year, value, source=chosen, reference="test", acting_user=None)


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits: tables scroll inside their box)."""
    return max(0, page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"])
