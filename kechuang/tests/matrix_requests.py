"""How the authorisation matrix (test_authorisation_matrix.py) makes its requests and watches the permission module:
the path and bodies filled from a rule and the world, a minimal valid body from the OpenAPI schema, and the count
of calls into kechuang.permissions while a request runs."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kechuang.permissions.matrix import Rule
    from kechuang.tests.test_authorisation_matrix import Route, World


def _arg_value(name: str, rule: Rule, world: World):
    raw = rule.args.get(name)
    if raw is None:
        raw = name[:-3] if name.endswith("_id") else name
        if raw not in world.ids:
            return None
    if isinstance(raw, str) and raw in world.ids:
        return world.ids[raw]
    return raw


def _fill(route: Route, rule: Rule, world: World) -> str | None:
    path = route.pattern
    for name in route.params:
        value = _arg_value(name, rule, world)
        if value is None:
            return None
        if route.kind == "api":
            path = path.replace("{" + name + "}", str(value))
        else:
            path = re.sub(r"<(?:\w+:)?" + name + ">", str(value), path)
    return path


def _refs(value, world: World):
    """Replace "@name" by the world object's id, in nested dicts and lists."""
    if isinstance(value, str) and value.startswith("@"):
        return world.ids[value[1:]]
    if isinstance(value, dict):
        return {k: _refs(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_refs(v, world) for v in value]
    return value


def _minimal(schema: dict, components: dict, depth=0):
    """A small valid instance of a JSON schema (required properties only)."""
    if depth > 8:
        return None
    if "$ref" in schema:
        return _minimal(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth + 1)
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _minimal(options[0], components, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _minimal(props.get(k, {}), components, depth + 1) for k in schema.get("required", [])}
    if kind == "array":
        return [_minimal(schema.get("items", {}), components, depth + 1)] * schema.get("minItems", 0)
    if kind == "integer" or kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
        return max(1, low) if schema.get("maximum", 10**18) >= 1 else schema.get("maximum")
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-06-01"
        if fmt == "date-time":
            return "2026-06-01T08:00:00+08:00"
        if fmt == "binary":
            return None
        return "x" * max(1, schema.get("minLength", 1))
    return None


def _api_request(client, route: Route, rule: Rule, path: str, components: dict, world: World):
    headers: dict = {}
    op = route.operation
    query = {}
    for p in op.get("parameters", []):
        if p.get("in") == "query" and p.get("required"):
            query[p["name"]] = _minimal(p.get("schema", {}), components)
    query.update(_refs(rule.query, world))
    content = op.get("requestBody", {}).get("content", {})
    body = None
    if "application/json" in content:
        body = _minimal(content["application/json"]["schema"], components)
    if rule.body is not None:  # the rule's fields over the minimal body
        body = {**(body if isinstance(body, dict) else {}), **_refs(rule.body, world)}
    method = route.method.lower()
    if method == "get":
        return client.get(path, query, **headers)
    if "multipart/form-data" in content and "application/json" not in content:
        from django.core.files.uploadedfile import SimpleUploadedFile

        form_schema = content["multipart/form-data"]["schema"]
        if "$ref" in form_schema:
            form_schema = components[form_schema["$ref"].rsplit("/", 1)[-1]]
        data = {}
        for name, prop in form_schema.get("properties", {}).items():
            if prop.get("format") == "binary":
                data[name] = SimpleUploadedFile("matrix.csv", b"name\n", content_type="text/csv")
            elif name in form_schema.get("required", []):
                data[name] = _minimal(prop, components)
        data.update(_refs(rule.body or {}, world))
        return getattr(client, method)(path + _qs(query), data, **headers)
    return getattr(client, method)(
        path + _qs(query),
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        **headers,
    )


def _qs(query):
    from urllib.parse import urlencode

    return ("?" + urlencode(query)) if query else ""


class PermissionWatch:
    """Counts calls into kechuang.permissions made by views and services (not while a template renders: the
    navigation's and the pages' own checks decide what is shown, not who gets in). Every function defined in a
    module of the package is wrapped where it is bound: in its own module and in every kechuang or config module
    that imported it by name."""

    def __init__(self, monkeypatch):
        import functools
        import inspect
        import sys

        from django.template.backends.django import Template

        import kechuang.permissions as package

        self.calls = 0
        self.rendering = 0
        originals = {}
        for info in pkgutil.iter_modules(package.__path__):
            if info.name == "matrix":
                continue
            module = importlib.import_module(f"kechuang.permissions.{info.name}")
            for obj in vars(module).values():
                if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                    originals[id(obj)] = obj

        def wrap(func):
            @functools.wraps(func)
            def counted(*args, **kwargs):
                if not self.rendering:
                    self.calls += 1
                return func(*args, **kwargs)

            return counted

        wrapped = {key: wrap(func) for key, func in originals.items()}
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(("kechuang.", "config.")) or name.endswith(".matrix"):
                continue
            for attr, value in list(vars(module).items()):
                if id(value) in wrapped and value is originals[id(value)]:
                    monkeypatch.setattr(module, attr, wrapped[id(value)])
        render = Template.render

        def rendering(template, *args, **kwargs):
            self.rendering += 1
            try:
                return render(template, *args, **kwargs)
            finally:
                self.rendering -= 1

        monkeypatch.setattr(Template, "render", rendering)
