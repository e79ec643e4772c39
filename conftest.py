import pytest

from kechuang.accounts.models import Role
from kechuang.registry.models import DepartmentType, OrganisationKind
from kechuang.testing import PASSWORD, make_org, make_user


@pytest.fixture(autouse=True)
def fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def department(db):
    org = make_org(
        "广西壮族自治区科学技术厅",
        kind=OrganisationKind.GOVERNMENT,
        region="450103",
        registration="11",
        credit_code=None,
        industry=None,
    )
    org.department_type = DepartmentType.SCIENCE
    org.save(update_fields=["department_type"])
    return org


@pytest.fixture
def admin_user(department):
    return make_user("admin1", org=department, role=Role.ADMIN)


@pytest.fixture
def reviewer(department):
    return make_user("reviewer1", org=department, role=Role.REVIEWER)


@pytest.fixture
def approver(department):
    return make_user("approver1", org=department, role=Role.APPROVER)


@pytest.fixture
def liuzhou_reviewer(department):
    return make_user("liuzhou1", org=department, role=Role.REVIEWER, city="450200")


@pytest.fixture
def acme(db):
    """Alice's enterprise, in Nanning."""
    return make_org("南宁阿克米科技有限公司", region="450103")


@pytest.fixture
def globex(db):
    """Bob's enterprise, in Liuzhou."""
    return make_org("柳州环球机械有限公司", region="450202", industry="34")


@pytest.fixture
def alice(acme):
    return make_user("alice", org=acme, role=Role.ORG_ADMIN)


@pytest.fixture
def bob(globex):
    return make_user("bob", org=globex, role=Role.ORG_ADMIN)


@pytest.fixture
def outsider(db):
    return make_user("charlie")


@pytest.fixture
def login(client):
    def do_login(user):
        client.force_login(user)
        return client

    return do_login


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser); skips where it is not installed."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = (
        "true"  # Playwright's sync API runs an event loop in this thread
    )
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


JOURNEY_SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(JOURNEY_SCREENS))
def journey_screen(request):
    """The four user journeys run on a 1366 px desktop and on a 390 px phone."""
    return JOURNEY_SCREENS[request.param]


@pytest.fixture
def password():
    return PASSWORD


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database; restore the reference data migrations loaded (regions, industries,
    indicators) afterwards, so later tests still find it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
