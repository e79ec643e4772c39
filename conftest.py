import pytest
from hypothesis import settings as hypothesis_settings

from kechuang.accounts.models import Role
from kechuang.registry.models import DepartmentType, OrganisationKind
from kechuang.testing import PASSWORD, make_org, make_user

# Speed is measured in the benchmarks, not in tests: a property test must not fail because the machine is busy.
hypothesis_settings.register_profile("kechuang", deadline=None)
hypothesis_settings.load_profile("kechuang")


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


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    )


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database; restore the reference data migrations loaded (regions, industries,
    indicators) before each of them (serialized rollback) and after each (below)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if _is_transactional(item) and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush. Run alone, pytest-django orders those tests last; spread over
    parallel workers, an ordinary test may follow one on the same worker, so the reference data is put back at
    once rather than only before the next transactional test."""
    result = yield
    if _is_transactional(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for alias in connections:
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents:
                    connections[alias].creation.deserialize_db_from_string(contents)
    return result


# --- the test database, kept between local runs ------------------------------------------------------------
# pyproject's addopts pass --reuse-db: the test database (var/test_kechuang.sqlite3 on SQLite, test_<name> on
# PostgreSQL) is kept and reused when it is known to be clean and built from the same migrations. It is rebuilt
# when a migration file changed (a hash of them all), after an interrupted run, or with --create-db. A second run
# started in the same checkout while one is going gets a private database (SQLite in memory, PostgreSQL suffixed
# with its pid) that is destroyed at its end, so runs never share one.


def _reuse_state(connection):
    """Where a clean end of a run is noted for this database (one note per engine and database name)."""
    from django.conf import settings

    name = str(connection.creation._get_test_db_name()).replace("/", "_").strip("_")
    return settings.DATA_DIR / f"test-db.{connection.vendor}.{name}.state"


def _migrations_fingerprint() -> str:
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("kechuang/**/migrations/*.py")):
        digest.update(str(path.relative_to(Path(__file__).parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_blocker, django_db_modify_db_settings):
    """Whether this run keeps and reuses the test database (see the comment above). Each parallel worker
    (`-n 2`) keeps its own, suffixed with its worker id as pytest-django names them on PostgreSQL."""
    import contextlib
    import fcntl
    import os
    from pathlib import Path

    from django.conf import settings
    from django.db import DatabaseError, connections

    if not request.config.getvalue("reuse_db") or request.config.getvalue("create_db"):
        return False
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    suffix = f"_{worker}" if worker else ""
    lock = open(settings.DATA_DIR / f"test-db{suffix}.lock", "w")  # noqa: SIM115 - held for the whole session
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        for alias in connections:
            test = connections[alias].settings_dict.setdefault("TEST", {})
            if connections[alias].vendor != "sqlite":
                test["NAME"] = (
                    f"{test.get('NAME') or 'test_' + connections[alias].settings_dict['NAME']}_{os.getpid()}"
                )
        return False
    request.config._kechuang_db_lock = lock
    for alias in connections:
        if connections[alias].vendor == "sqlite":
            connections[alias].settings_dict.setdefault("TEST", {})["NAME"] = str(
                settings.DATA_DIR / f"test_{alias}{suffix}.sqlite3"
            )
    fingerprint = _migrations_fingerprint()
    request.config._kechuang_db_states = {alias: _reuse_state(connections[alias]) for alias in connections}
    for alias, state in request.config._kechuang_db_states.items():
        clean = state.exists() and state.read_text() == fingerprint
        # until this run ends cleanly, the kept database is not known to be clean
        state.unlink(missing_ok=True)
        if not clean:
            creation = connections[alias].creation
            name = creation._get_test_db_name()
            if connections[alias].vendor == "sqlite":
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
                continue
            with django_db_blocker.unblock(), contextlib.suppress(DatabaseError):  # none to destroy
                creation._destroy_test_db(name, verbosity=0)
    return True


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_keepdb, django_db_blocker):
    """A kept database is left as the migrations made it: transactional tests flush it, so the data the
    migrations loaded is put back at the end, as Django does before each transactional test."""
    yield
    if not django_db_keepdb:
        return
    from django.core.management import call_command
    from django.db import connections

    fingerprint = _migrations_fingerprint()
    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                call_command(
                    "flush", verbosity=0, interactive=False, database=alias, inhibit_post_migrate=True
                )
                connections[alias].creation.deserialize_db_from_string(contents)
            request.config._kechuang_db_states[alias].write_text(fingerprint)
