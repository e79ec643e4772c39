"""Policy versions (one per change of a YAML file) and scheduled parameter changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import require_cap
from kechuang.permissions.policy import PolicyCap
from kechuang.policy.engine import DefinitionError, Policy, compile_policy
from kechuang.policy.engine.rules import load_specs
from kechuang.policy.models import ParameterChange, PolicyVersion

_COMPILED: dict[tuple, Policy] = {}

# ---- policy versions and parameters ----------------------------------------------------------------------


def _sha(spec: dict) -> str:
    return hashlib.sha256(
        json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


_SHAS: dict[int, dict[str, str]] = {}


def _spec_shas(specs: dict) -> dict[str, str]:
    """Content hashes of the loaded policy files, memoised while the files are unchanged."""
    if id(specs) not in _SHAS:
        _SHAS.clear()
        _SHAS[id(specs)] = {code: _sha(spec) for code, spec in specs.items()}
    return _SHAS[id(specs)]


def sync_policy_versions() -> dict[str, PolicyVersion]:
    """The PolicyVersion of each YAML policy file's current content; new content becomes a new version.

    One query when nothing changed. Loading a new version is audited (actor: system). Returns {code: version}.
    """
    specs = load_specs()
    shas = _spec_shas(specs)
    # the definitions (large JSON) are read only where a version is compiled for the first time (get_policy)
    rows = {
        (v.code, v.content_sha): v
        for v in PolicyVersion.objects.filter(content_sha__in=list(shas.values())).defer("definition")
    }
    current = {}
    for code, sha in shas.items():
        version = rows.get((code, sha))
        if version is None:
            compile_policy(specs[code])  # a broken file never becomes a version
            version = _create_version(code, specs[code], sha)
        current[code] = version
    return current


@transaction.atomic
def _create_version(code: str, spec: dict, sha: str) -> PolicyVersion:
    number = (PolicyVersion.objects.filter(code=code).aggregate(m=Max("version"))["m"] or 0) + 1
    policy = compile_policy(spec)
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                code=code,
                version=number,
                name=policy.name["zh"],
                name_en=policy.name.get("en", ""),
                kind=policy.kind,
                document_no=policy.document[:200],
                clause=policy.clause[:200],
                effective_from=policy.effective_from,
                effective_to=policy.effective_to,
                exclusivity_group=policy.group,
                definition=json.loads(json.dumps(spec, default=str)),
                content_sha=sha,
            )
    except IntegrityError:  # another process loaded the same content at the same moment
        return PolicyVersion.objects.get(code=code, content_sha=sha)
    record(
        "policy.version.load",
        version,
        acting_user=None,
        changes={"version": [None, number], "sha": [None, sha[:12]]},
    )
    return version


def current_versions() -> dict[str, PolicyVersion]:
    """The version in force of every policy: the one whose content the policy file has now."""
    return sync_policy_versions()


def _override_dict(c: ParameterChange) -> dict:
    return {
        "name": c.param,
        "value": c.value,
        "from": c.effective_from,
        "to": c.effective_to,
        "verified": c.verified,
        "document": c.document_no,
        "clause": c.clause,
        "note": c.note,
        "origin": f"override:{c.pk}",
    }


def overrides_for(code: str) -> list[dict]:
    return [
        _override_dict(c)
        for c in ParameterChange.objects.filter(policy_code=code).order_by("effective_from", "id")
    ]


def all_overrides() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in ParameterChange.objects.order_by("effective_from", "id"):
        out.setdefault(c.policy_code, []).append(_override_dict(c))
    return out


def get_policy(version: PolicyVersion, overrides: list[dict] | None = None) -> Policy:
    """The compiled policy of a version, with the parameter changes scheduled in the platform applied."""
    if overrides is None:
        overrides = overrides_for(version.code)
    key = (version.pk, json.dumps(overrides, default=str, sort_keys=True))
    if key not in _COMPILED:
        if len(_COMPILED) > 200:
            _COMPILED.clear()
        _COMPILED[key] = compile_policy(version.definition, overrides)
    return _COMPILED[key]


def get_current_policy(code: str) -> tuple[PolicyVersion, Policy]:
    versions = current_versions()
    if code not in versions:
        raise DomainError(ErrorCode.NOT_FOUND, _("没有这项政策：%(code)s") % {"code": code}, status=404)
    return versions[code], get_policy(versions[code])


@transaction.atomic
def do_schedule_parameter_change(
    policy_code: str,
    param: str,
    value,
    effective_from: dt.date,
    *,
    acting_user,
    effective_to: dt.date | None = None,
    verified: bool = False,
    document_no: str,
    clause: str = "",
    note: str = "",
) -> ParameterChange:
    """Change a parameter from a future date on, without touching code; checked like a definition and audited."""
    require_cap(acting_user, PolicyCap.PARAM_EDIT)
    if effective_from <= timezone.localdate():
        raise DomainError(
            ErrorCode.INVALID, _("参数调整只能从今后的日期起生效。"), {"field": "effective_from"}
        )
    if not document_no.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写参数调整依据的文号。"), {"field": "document_no"})
    version, policy = get_current_policy(policy_code)
    if param not in policy.params:
        raise DomainError(
            ErrorCode.INVALID, _("政策没有参数 %(param)s。") % {"param": param}, {"field": "param"}
        )
    if ParameterChange.objects.filter(
        policy_code=policy_code, param=param, effective_from=effective_from
    ).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            _("该参数在 %(date)s 已有调整，请勿重复设置。") % {"date": effective_from},
            status=409,
        )
    change = ParameterChange(
        policy_code=policy_code,
        param=param,
        value=0,
        effective_from=effective_from,
        effective_to=effective_to,
        verified=verified,
        document_no=document_no.strip(),
        clause=clause,
        note=note,
        created_by=acting_user,
    )
    try:
        trial = compile_policy(
            version.definition,
            [
                *overrides_for(policy_code),
                {"name": param, "value": value, "from": effective_from, "to": effective_to},
            ],
        )
    except DefinitionError as exc:
        raise DomainError(ErrorCode.INVALID, str(exc))
    change.value = next(v.value for v in trial.params[param].values if v.start == effective_from)
    before = policy.params[param].at(effective_from)
    change.save()
    record(
        "policy.param.schedule",
        change,
        acting_user=acting_user,
        changes={f"{policy_code}.{param}@{effective_from}": [before.value if before else None, change.value]},
        note=document_no,
    )
    return change
