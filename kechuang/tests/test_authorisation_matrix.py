"""The authorisation matrix: every HTML view of the URLconf and every operation of the API, tried as every actor of
kechuang.permissions.matrix, against the rule each app declares in its `access.py`.

* A route without a rule fails `test_every_route_has_a_declared_rule`, saying what to add where.
* An allowed actor must get past the door: anything but 401, 403, 404 or the login page (a 400/409/422 from
  the empty or minimal request is fine: the request reached the service). A refused actor must get 401, 403,
  404, the login page, or 405 (method not offered). A 500 is always a failure.
* Object routes are tried on the world's objects: 甲's (ent_a, 南宁, the 科技厅's), so ent_b, the 柳州 official
  and other departments try someone else's.

One database world for the whole run; each request runs inside a savepoint that is rolled back, so no request
changes what the next one sees.
"""

import importlib
import logging
import os
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import kechuang
from kechuang.permissions.matrix import ACTORS, ANON, SIGNED_IN, Rule
from kechuang.tests.matrix_requests import PermissionWatch, _api_request, _fill, _qs, _refs

ROOT = Path(kechuang.__file__).parent
ALLOWED_DENIALS = {401, 403, 404}
NINJA_OWN = {"openapi-json", "openapi-view", "api-root"}  # django-ninja's own pages: HTML routes here


# ---------------------------------------------------------------- the routes


@dataclass(frozen=True)
class Route:
    key: str  # "policy:round_detail" or "POST /api/policy/rounds/{round_id}/cancel"
    kind: str  # "html" or "api"
    pattern: str  # "/policy/rounds/<int:round_id>/" or "/api/policy/rounds/{round_id}/cancel"
    params: tuple[str, ...]
    app: str  # the kechuang app whose access.py declares it
    module: str = ""  # the module defining the view or operation
    takes_post: bool = True  # HTML: whether the view may treat a POST differently from a GET
    method: str = ""  # API only
    operation: dict | None = None  # API only: the OpenAPI operation


def _app_of_module(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "kechuang" and len(parts) > 1 and (ROOT / parts[1]).is_dir():
        return parts[1]
    return "web"  # Django's own views (admin, i18n, …) are the site's: kechuang/web/access.py


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p


def _takes_post(view, inner) -> bool:
    """A function view whose source (decorators included) never mentions POST or the method, and hands the request
    to no helper, answers a POST as it answers a GET: trying it once is enough."""
    import inspect

    if isinstance(view, type) or hasattr(view, "view_class") or not inner.__module__.startswith("kechuang."):
        return True
    try:
        source = inspect.getsource(inner)
    except (OSError, TypeError):
        return True
    return bool(re.search(r"POST|request\.method|require_http_methods|\b_\w+\(request", source))


def html_routes() -> list[Route]:
    routes = {}
    for pattern, namespace, p in _walk(get_resolver().url_patterns):
        if namespace == "api" and (p.name or "") not in NINJA_OWN:
            continue  # the API's operations: api_routes()
        short = p.name or "/" + pattern  # Django's own unnamed patterns (the admin's redirects)
        name = f"{namespace}:{short}" if namespace else short
        view = getattr(p.callback, "view_class", None) or p.callback
        app = namespace if namespace and (ROOT / namespace).is_dir() else _app_of_module(view.__module__)
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
        if p.pattern.regex.groupindex and not params:
            params = tuple(p.pattern.regex.groupindex)
        inner = view
        while hasattr(inner, "__wrapped__"):
            inner = inner.__wrapped__
        routes[name] = Route(
            name, "html", "/" + pattern, params, app, inner.__module__, _takes_post(view, inner)
        )
    return list(routes.values())


def api_routes() -> list[Route]:
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api")
    out = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            op_id = operation.get("operationId", "")
            m = re.match(r"kechuang_(\w+?)_api_", op_id)
            app = m.group(1) if m and (ROOT / m.group(1)).is_dir() else "web"
            params = tuple(re.findall(r"{(\w+)}", path))
            key = f"{method.upper()} {path}"
            module = f"kechuang.{app}.api"
            out.append(
                Route(
                    key, "api", path, params, app, module=module, method=method.upper(), operation=operation
                )
            )
    # operations left out of the schema are still routes
    documented = {re.sub(r"{\w+}", "{}", r.pattern).rstrip("/") for r in out}
    hidden = []
    for pattern, namespace, p in _walk(get_resolver().url_patterns):
        if namespace != "api" or (p.name or "") in NINJA_OWN:
            continue
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "{}", pattern).rstrip("/")
        if path not in documented:
            hidden.append(path)
    assert not hidden, f"API paths left out of the OpenAPI schema cannot be classified: {hidden}"
    return out


def all_routes() -> list[Route]:
    return html_routes() + api_routes()


def declarations() -> dict[str, tuple[str, object]]:
    """Every app's ROUTES, by route key (a key ending in "*" covers every name with that prefix)."""
    out: dict[str, tuple[str, object]] = {}
    for info in pkgutil.iter_modules([str(ROOT)]):
        if not (ROOT / info.name / "access.py").exists():
            continue
        module = importlib.import_module(f"kechuang.{info.name}.access")
        for key, rule in getattr(module, "ROUTES", {}).items():
            assert key not in out, (
                f"{key} is declared twice: kechuang/{out[key][0]}/access.py and {info.name}"
            )
            out[key] = (info.name, rule)
    return out


def rule_for(route: Route, declared) -> list[Rule] | None:
    entry = declared.get(route.key)
    if entry is None:  # the longest matching prefix ("admin:pledge_*" before "admin:*")
        matches = [k for k in declared if k.endswith("*") and route.key.startswith(k[:-1])]
        if matches:
            entry = declared[max(matches, key=len)]
    if entry is None:
        return None
    rule = entry[1]
    return list(rule) if isinstance(rule, list | tuple) else [rule]


def suggestion(missing: list[Route]) -> str:
    by_file: dict[str, list[str]] = {}
    for r in missing:
        by_file.setdefault(f"kechuang/{r.app}/access.py", []).append(
            f'        "{r.key}": allow(...),  # {r.pattern}'
        )
    return "\n".join(f"{f}, in ROUTES:\n" + "\n".join(lines) for f, lines in sorted(by_file.items()))


# ---------------------------------------------------------------- classification (no database)


def test_every_route_has_a_declared_rule():
    declared = declarations()
    missing = [r for r in all_routes() if rule_for(r, declared) is None]
    assert not missing, (
        f"{len(missing)} route(s) without an authorisation rule: declare who may use each (docs/permissions.md, "
        "'Adding a route'; the actors and groups are in kechuang/permissions/matrix.py, e.g. "
        "allow(OFFICIALS, ENT_A, args={'pk': 'my_object'}) with the object made in that file's objects(world)). "
        "Add:\n" + suggestion(missing)
    )


def test_no_rule_is_left_without_a_route():
    keys = {r.key for r in all_routes()}
    stale = [
        f"kechuang/{app}/access.py: {key}"
        for key, (app, _rule) in declarations().items()
        if not (key in keys or (key.endswith("*") and any(k.startswith(key[:-1]) for k in keys)))
    ]
    assert not stale, "Rules for routes that no longer exist (remove or rename them):\n" + "\n".join(stale)


# ---------------------------------------------------------------- the matrix (one world)


class World:
    """The actors' users and organisations, and the objects each app's `objects(world)` created (by name)."""

    def __init__(self):
        self.users = {}
        self.orgs = {}
        self.ids: dict[str, object] = {}


def build_world() -> World:
    from kechuang.accounts.models import Role
    from kechuang.registry.models import DepartmentType, OrganisationKind
    from kechuang.review.services import do_register_expert
    from kechuang.testing import make_org, make_user

    w = World()

    def department(name, kind, region="450103"):
        org = make_org(
            name, kind=OrganisationKind.GOVERNMENT, region=region, registration="11", industry=None
        )
        org.department_type = kind
        org.save(update_fields=["department_type"])
        return org

    o = w.orgs
    o["science"] = department("广西壮族自治区科学技术厅", DepartmentType.SCIENCE)
    o["finance"] = department("广西壮族自治区财政厅", DepartmentType.FINANCE)
    o["industry"] = department("广西壮族自治区工业和信息化厅", DepartmentType.INDUSTRY)
    o["tax"] = department("国家税务总局广西壮族自治区税务局", DepartmentType.TAX)
    o["statistics"] = department("广西壮族自治区统计局", DepartmentType.STATISTICS)
    o["nanning_bureau"] = department("南宁市科学技术局", DepartmentType.SCIENCE, "450100")
    o["liuzhou_bureau"] = department("柳州市科学技术局", DepartmentType.SCIENCE, "450200")
    o["ent_a"] = make_org("南宁甲科技有限公司", region="450103")
    o["ent_b"] = make_org("柳州乙机械有限公司", region="450202", industry="34")
    o["bank"] = make_org("工商银行广西分行", kind=OrganisationKind.BANK, industry="J")
    o["insurer"] = make_org("人保财险广西分公司", kind=OrganisationKind.INSURER, industry="J")
    o["guarantor"] = make_org("广西中小企业融资担保有限公司", kind=OrganisationKind.GUARANTOR, industry="J")
    o["university"] = make_org(
        "广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12", industry=None
    )

    u = w.users
    u["ent_a"] = make_user("m_ent_a", org=o["ent_a"], role=Role.ORG_ADMIN)
    u["ent_b"] = make_user("m_ent_b", org=o["ent_b"], role=Role.ORG_ADMIN)
    u["nanning"] = make_user("m_nanning", org=o["nanning_bureau"], role=Role.REVIEWER, city="450100")
    u["liuzhou"] = make_user("m_liuzhou", org=o["liuzhou_bureau"], role=Role.REVIEWER, city="450200")
    u["science"] = make_user("m_science", org=o["science"], role=Role.REVIEWER)
    u["approver"] = make_user("m_approver", org=o["science"], role=Role.APPROVER)
    u["admin"] = make_user("m_admin", org=o["science"], role=Role.ADMIN)
    for dept in ("finance", "industry", "tax", "statistics"):
        u[dept] = make_user(f"m_{dept}", org=o[dept], role=Role.REVIEWER)
    u["finance_approver"] = make_user("m_finance_approver", org=o["finance"], role=Role.APPROVER)
    u["bank"] = make_user("m_bank", org=o["bank"], role=Role.MEMBER)
    u["insurer"] = make_user("m_insurer", org=o["insurer"], role=Role.MEMBER)
    u["guarantor"] = make_user("m_guarantor", org=o["guarantor"], role=Role.MEMBER)
    u["university"] = make_user("m_university", org=o["university"], role=Role.MEMBER)
    u["expert"] = make_user("m_expert", org=o["university"], role=Role.EXPERT)
    do_register_expert(
        u["expert"], acting_user=None, organisation=o["university"], disciplines=[], profile_text="机械工程"
    )
    u["asean"] = make_user("m_asean")
    u["asean"].language = "vi"
    u["asean"].save(update_fields=["language"])
    assert set(u) | {ANON} == set(ACTORS)

    for info in sorted(pkgutil.iter_modules([str(ROOT)]), key=lambda i: ORDER.get(i.name, 50)):
        if (ROOT / info.name / "access.py").exists():
            module = importlib.import_module(f"kechuang.{info.name}.access")
            if hasattr(module, "objects"):
                w.ids.update(module.objects(w) or {})
    return w


# Apps whose objects others build on go first (e.g. review processes before awards calls).
ORDER = {"registry": 0, "accounts": 1, "review": 2, "policy": 3}


def _denied(response, actor) -> bool:
    if response.status_code in ALLOWED_DENIALS:
        return True
    return response.status_code in (301, 302) and "/login/" in response.get("Location", "")


def _verdict(response, actor) -> str:  # noqa: ARG001
    if response.status_code >= 500:
        return "error"
    if response.status_code == 405:
        return "absent"
    return "denied" if _denied(response, actor) else "allowed"


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory):
    """The conftest's fast settings, for the whole module: the world's files (uploads, indexes) outlive a test."""
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("matrix")
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=root / "media",
        DATA_DIR=root / "data",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def fast_settings(module_settings):
    """Replaces the conftest's per-test settings (a new media folder for each test would lose the world's files)."""


@pytest.fixture(scope="module")
def world(module_settings, django_db_setup, django_db_blocker):
    """Built once for the module's tests, inside a transaction rolled back at the end; every request of a test runs
    in a savepoint rolled back after it, so no test and no request sees another's changes."""
    from kechuang.techmarket.indexing import forget_cached_indexes

    with django_db_blocker.unblock():
        forget_cached_indexes()
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
        forget_cached_indexes()


@pytest.fixture(scope="module")
def clients(world):
    """One client per actor, logged in once; `_reset` puts its cookies back after each request."""
    out = {}
    for actor in ACTORS:
        c = Client(raise_request_exception=False)
        if actor != ANON:
            c.force_login(world.users[actor])
        out[actor] = (c, dict(c.cookies.items()))
    return out


def _reset(client, cookies):
    client.cookies.clear()
    for k, v in cookies.items():
        client.cookies[k] = v


@pytest.mark.django_db  # (the world's module-wide transaction holds the data; this marks the database as used)
def test_every_actor_gets_exactly_what_the_rules_allow(world, clients, monkeypatch):
    """…and every request of a guarded route (one not open to every signed-in user) that lets its actor in asked
    kechuang.permissions on the way (a view that decides by itself, or not at all, fails here)."""
    from config.api import api

    declared = declarations()
    components = api.get_openapi_schema(path_prefix="/api")["components"].get("schemas", {})
    watch = PermissionWatch(monkeypatch)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    logging.getLogger("django.security").setLevel(logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the certificates' font subsetting

    import time

    problems, unfilled, skipped, tried = [], [], [], 0
    timings = []
    only = {a for a in os.environ.get("KECHUANG_MATRIX_ONLY", "").split(",") if a}  # e.g. "policy,web"
    for route in all_routes():
        if only and route.app not in only:
            continue
        started = time.perf_counter()
        rules = rule_for(route, declared)
        if rules is None:
            continue  # test_every_route_has_a_declared_rule reports it
        if (
            route.key.startswith("admin:")
            and route.key not in declared
            and not route.key.endswith("_changelist")
        ):
            continue  # the admin site has one door (has_permission): tried on its lists, not every form
        for rule in rules:
            if rule.skip:
                skipped.append(f"{route.key}: {rule.skip}")
                continue
            path = _fill(route, rule, world)
            if path is None:
                unfilled.append(f"{route.key}: no world object for {route.params} (rule args {rule.args})")
                continue
            for actor in ACTORS:
                client, cookies = clients[actor]
                if route.kind == "api":
                    attempts = [(route.method, rule.get)]
                else:
                    attempts = [("GET", rule.get), ("POST", rule.post)]
                verdicts = []
                for method, allowed in attempts:
                    watch.calls = 0
                    with transaction.atomic():
                        if route.kind == "api":
                            response = _api_request(client, route, rule, path, components, world)
                        elif method == "GET":
                            response = client.get(path, _refs(rule.query, world))
                        else:
                            response = client.post(
                                path + _qs(_refs(rule.query, world)), _refs(rule.data, world)
                            )
                        transaction.set_rollback(True)
                    _reset(client, cookies)
                    tried += 1
                    verdict = _verdict(response, actor)
                    verdicts.append((method, allowed, verdict, response.status_code))
                    if (
                        verdict == "allowed"
                        and actor in allowed
                        and not allowed >= SIGNED_IN
                        and not watch.calls
                    ):
                        problems.append(
                            f"UNCHECKED {route.key} {method} {path} as {actor}: let in without asking "
                            "kechuang.permissions (ask it before anything else: docs/permissions.md)"
                        )
                for method, allowed, verdict, status in verdicts:
                    expect = "allowed" if actor in allowed else "denied"
                    if verdict == "error":
                        problems.append(f"{route.key} {method} {path} as {actor}: server error {status}")
                    elif verdict == "allowed" and expect == "denied":
                        problems.append(
                            f"LEAK {route.key} {method} {path} as {actor}: {status}, the rule refuses"
                        )
                if any(actor in a for _m, a, _v, _s in verdicts):
                    offered = [v for v in verdicts if v[2] != "absent" and actor in v[1]]
                    if offered and not any(v[2] == "allowed" for v in offered):
                        problems.append(
                            f"REFUSED {route.key} {path} as {actor}: "
                            + ", ".join(f"{m} {s}" for m, _a, _v, s in offered)
                            + ", the rule allows"
                        )
        timings.append((time.perf_counter() - started, route.key))
    print(f"{tried} requests; slowest routes:", sorted(timings, reverse=True)[:15])
    print("not exercised:", *skipped, sep="\n  ")
    problems += unfilled
    assert not problems, f"{len(problems)} mismatch(es) of {tried} requests:\n" + "\n".join(sorted(problems))


# ---------------------------------------------------------------- hostile parameters (same world)

HOSTILE_VALUES = [
    str(2**63),
    "-1",
    "NaN",
    "１２３４５６７８９０１２３４５６７８９０１２",
    "²",
    "9" * 5_000,
    "x" * 5_000,
]


def parameter_names() -> list[str]:
    """Every name a page reads: its forms' fields and what views take from request.GET/POST directly."""
    from kechuang.tests.test_form_bounds import form_classes

    names = {name for form in form_classes() for name in form.base_fields}
    pattern = re.compile(r"""request\.(?:GET|POST)(?:\.get(?:list)?\(\s*|\[)["'](\w+)["']""")
    for path in ROOT.glob("*/views.py"):
        names.update(pattern.findall(path.read_text()))
    names.update({"page", "per_page", "year", "org", "status", "q"})
    return sorted(names)


@pytest.mark.django_db
def test_no_page_answers_a_server_error_to_hostile_parameters(world, clients):
    """Every HTML route with every parameter name a page reads set to a hostile value (2^63, -1, NaN, a full-width
    22-digit number, a superscript, 5,000 digits, 5,000 letters; each name gets a different one in each of two
    tries), by GET and by POST, as an administrator and as 甲 (who reach the most forms): never a 500."""
    declared = declarations()
    names = parameter_names()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    clients = {actor: clients[actor] for actor in ("admin", "ent_a")}
    errors, tried = [], 0
    for route in html_routes():
        rules = rule_for(route, declared)
        if not rules or route.key.startswith(("admin:", "api:")) or rules[0].skip:
            continue
        path = _fill(route, rules[0], world)
        if path is None:
            continue
        for shift in (0, 3):
            data = {name: HOSTILE_VALUES[(i + shift) % len(HOSTILE_VALUES)] for i, name in enumerate(names)}
            for actor, (client, cookies) in clients.items():
                for method in ("get", "post"):
                    with transaction.atomic():
                        response = getattr(client, method)(path, data)
                        transaction.set_rollback(True)
                    _reset(client, cookies)
                    tried += 1
                    if response.status_code >= 500:
                        errors.append(
                            f"{method.upper()} {path} as {actor} (shift {shift}): {response.status_code}"
                        )
        if re.search(r"<int:", route.pattern):  # and ids no primary key can hold
            huge = re.sub(r"<int:\w+>", str(2**64), route.pattern)
            for actor, (client, cookies) in clients.items():
                for method in ("get", "post"):
                    tried += 1
                    with transaction.atomic():
                        response = getattr(client, method)(huge)
                        transaction.set_rollback(True)
                    _reset(client, cookies)
                    if response.status_code not in (302, 403, 404, 405):
                        errors.append(
                            f"{method.upper()} {huge} as {actor}: {response.status_code}, expected 404"
                        )
    assert tried > 400
    assert not errors, "\n".join(errors)
