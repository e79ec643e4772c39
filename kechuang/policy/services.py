"""Policies, the calculator, screening and the payout workflow.

Entry points for other modules (e.g. patent-pledge subsidies):

* `evaluate_policy(policy_code, inputs, year=...)` — evaluate one policy for one set of inputs, with the trace;
* `calculate_for_organisation(org, year)` — every policy for one organisation, from the registry;
* `do_add_candidate(round, organisation, policy_code, *, acting_user, ...)` — put an organisation on a round's
  candidate list (computed by the same engine, subject to 从优从高不重复 and the no-double-pay rules).

Every state change here is a `do_*` function: atomic, permission-checked, audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import time
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import percent_text, yuan_text
from kechuang.permissions import has_cap, require, require_cap
from kechuang.permissions.core import area_q, department_of
from kechuang.permissions.policy import (
    PolicyCap,
    area_level,
    can_approve_round,
    can_city_review,
    can_concur_round,
    can_county_review,
    can_create_programme,
    can_manage_programme,
    can_manage_round,
    can_pay_round,
    can_sign_joint_review,
    can_view_candidate,
)
from kechuang.policy import bankfile
from kechuang.policy import inputs as inp
from kechuang.policy.engine import ELIGIBLE, NOT_COMPUTABLE, DefinitionError, Policy, compile_policy
from kechuang.policy.engine.allocation import best_in_group, prorate
from kechuang.policy.engine.rules import load_specs
from kechuang.policy.explain import label, reason_text
from kechuang.policy.models import (
    DEFAULT_NOTICE_DAYS,
    JOINT_REVIEW_DEPARTMENTS,
    MAX_FEN,
    BankReturn,
    Candidate,
    Fund,
    JointSignoff,
    LedgerEntry,
    Objection,
    ParameterChange,
    Payment,
    PaymentBatch,
    PolicyVersion,
    Programme,
    Round,
    ScreeningResult,
    ScreeningRun,
    Veto,
)
from kechuang.registry.models import DepartmentType, IndicatorSource, IndicatorValue
from kechuang.workdays import add_working_days, is_working_day

MIN_YEAR, MAX_YEAR = 2000, 2100
CANCELLABLE = (
    Round.Status.DRAFT,
    Round.Status.SCREENING,
    Round.Status.CITY_REVIEW,
    Round.Status.JOINT_REVIEW,
    Round.Status.NOTICE,
)

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
    rows = {
        (v.code, v.content_sha): v for v in PolicyVersion.objects.filter(content_sha__in=list(shas.values()))
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


# ---- evaluation entry points -----------------------------------------------------------------------------


def evaluate_policy(policy_code: str, inputs: dict, *, year: int):
    """Evaluate one policy for one set of inputs with the full trace (the entry point for other modules).

    `inputs`: {"rd_spending": 123, ("rd_spending", -1): 100, ...} — plain names mean the current period.
    """
    _version, policy = get_current_policy(policy_code)
    normalised = {
        (k if isinstance(k, tuple) else (k, 0)): (int(v) if v is not None else None)
        for k, v in inputs.items()
    }
    return policy.evaluate_one(year, normalised)


@dataclass
class Calculation:
    version: PolicyVersion
    policy: Policy
    result: object  # engine OneResult, from the figures the policy accepts
    # a payout rule's result had the organisation's own (unconfirmed) figures been confirmed, when that differs;
    # shown only as a preview, marked as such, never paid
    if_confirmed: object = None
    # a self-assessment's every condition: [{"key", "label", "result": True/False/None, "reason"}]
    checks: list | None = None

    @property
    def name(self):
        return label(self.policy.name)

    @property
    def assessment(self) -> dict | None:
        """A self-assessment's honest summary: how many conditions are met, not met, and cannot be told."""
        if self.checks is None:
            return None
        checks = [c for c in self.checks if c["key"] != "applies_to"]
        met = sum(1 for c in checks if c["result"] is True)
        failed = sum(1 for c in checks if c["result"] is False)
        unknown = sum(1 for c in checks if c["result"] is None)
        state = "not_met" if failed else ("incomplete" if unknown else "complete_met")
        return {"met": met, "failed": failed, "unknown": unknown, "total": len(checks), "state": state}

    @property
    def reason(self):
        summary = self.assessment
        if summary is not None and summary["state"] != "complete_met":
            text = _("%(met)s 项符合，%(failed)s 项不符合，%(unknown)s 项缺少数据无法判断") % summary
            if summary["unknown"]:
                text += _("（自评不完整）")
            return text
        if self.result.status == NOT_COMPUTABLE:
            return reason_text(self.result.reason)
        if self.result.failed >= 0:
            return _("未满足：%(condition)s") % {
                "condition": label(self.policy.conditions[self.result.failed].label)
            }
        return ""


def calculate_for_organisation(org, year: int, codes=None) -> list[Calculation]:
    """Every (or the given) policy for one organisation: the same loader and engine as screening."""
    versions = current_versions()
    overrides = all_overrides()
    selected = [
        (v, get_policy(v, overrides.get(code, [])))
        for code, v in sorted(versions.items())
        if not codes or code in codes
    ]
    pop = inp.population(inp.Organisation.objects.filter(pk=org.pk))
    keys = set().union(*(p.required_inputs() for _, p in selected)) if selected else set()
    keys -= {("paid_before", 0)}
    payout_keys = set().union(*(p.required_inputs() for _, p in selected if p.kind == "payout"))
    sources: dict = {}
    any_sources: dict = {}
    cache: dict = {}  # facts and indicator rows read once for both loads (the larger set of keys first)
    any_data = inp.load_inputs(pop, year, keys, any_sources, authoritative=False, cache=cache)
    data = inp.load_inputs(pop, year, payout_keys - {("paid_before", 0)}, sources, cache=cache)
    paid = set(
        Payment.objects.filter(organisation=org, candidate__round__year__lt=year).values_list(
            "candidate__policy_code", flat=True
        )
    )
    out = []
    for version, policy in selected:
        payout = policy.kind == "payout"
        inputs = inp.row_inputs(data if payout else any_data, 0)
        inputs[("paid_before", 0)] = int(policy.code in paid)
        result = policy.evaluate_one(year, inputs, sources if payout else any_sources)
        if_confirmed = None
        if payout:
            unconfirmed = inp.row_inputs(any_data, 0)
            unconfirmed[("paid_before", 0)] = inputs[("paid_before", 0)]
            if any(unconfirmed.get(k) != inputs.get(k) for k in policy.required_inputs()):
                preview = policy.evaluate_one(year, unconfirmed, any_sources)
                if preview.status == ELIGIBLE and (
                    result.status != ELIGIBLE or preview.amount != result.amount
                ):
                    if_confirmed = preview
        checks = policy.check_each(year, inputs) if policy.kind == "assessment" else None
        out.append(Calculation(version, policy, result, if_confirmed, checks))
    return out


# ---- what an enterprise is told: computed, awarded, paid and why they differ ------------------------------------

ACTIVE_CANDIDATE = (
    Candidate.Status.PENDING,
    Candidate.Status.COUNTY_PASSED,
    Candidate.Status.RECOMMENDED,
    Candidate.Status.LISTED,
    Candidate.Status.APPROVED,
)


@dataclass
class Standing:
    """One policy for one organisation and data year: what the engine computes now, what a round awarded, what
    was paid, and every reason they differ. `offer` is what may still be shown as 可享 (0 once anything of the same
    thing is paid or under way)."""

    code: str
    computed_fen: int
    awarded_fen: int | None = None
    paid_fen: int = 0
    state: str = "open"  # open | in_round | paid | paying | closed
    round_name: str = ""
    why: list = None  # list[str]

    @property
    def offer_fen(self) -> int:
        return self.computed_fen if self.state == "open" else 0


def standings_for(org, year: int, calcs: list[Calculation]) -> dict[str, Standing]:
    """For each payout policy: the engine's amount against the organisation's candidates and payments for the
    same thing (the dedupe key: the exclusivity group or the policy, and the data year)."""
    payout = [c for c in calcs if c.policy.kind == "payout"]
    keys = {c.policy.code: _dedupe_key(c.policy, year) for c in payout}
    candidates = list(
        Candidate.objects.filter(organisation=org, dedupe_key__in=set(keys.values()))
        .exclude(round__status=Round.Status.CANCELLED)
        .select_related("round")
        .order_by("-created_at", "-id")
    )
    payments = {
        p.candidate_id: p
        for p in Payment.objects.filter(organisation=org, dedupe_key__in=set(keys.values())).select_related(
            "candidate"
        )
    }
    out = {}
    for calc in payout:
        code, key = calc.policy.code, keys[calc.policy.code]
        computed = calc.result.amount if calc.result.eligible else 0
        st = Standing(code, computed, why=[])
        mine = [c for c in candidates if c.policy_code == code]
        same_thing = [c for c in candidates if c.dedupe_key == key]
        paid_other = [
            c for c in same_thing if c.pk in payments and payments[c.pk].status != Payment.Status.FAILED
        ]
        if paid_other and all(c.policy_code != code for c in paid_other):
            other = paid_other[0]
            st.state = "closed"
            st.why.append(
                _("从优从高不重复：同类奖补“%(policy)s”已拨付（%(round)s）")
                % {"policy": other.policy_code, "round": other.round.name}
            )
        cand = mine[0] if mine else None
        if cand is not None:
            st.round_name = cand.round.name
            st.awarded_fen = cand.awarded_fen
            payment = payments.get(cand.pk)
            if payment is not None and payment.status == Payment.Status.PAID:
                st.state, st.paid_fen = "paid", payment.amount_fen
            elif payment is not None and payment.status == Payment.Status.PENDING:
                st.state = "paying"
            elif cand.status in ACTIVE_CANDIDATE:
                st.state = "in_round"
            elif st.state == "open" and cand.status in (
                Candidate.Status.SUPERSEDED,
                Candidate.Status.DUPLICATE,
                Candidate.Status.CARRIED,
            ):
                st.state = "in_round" if cand.status == Candidate.Status.CARRIED else "closed"
            elif st.state == "open":
                st.state = "closed"
            st.why.extend(difference_reasons(cand, payment, computed))
        out[code] = st
    return out


def difference_reasons(cand: Candidate, payment, computed_now: int) -> list[str]:
    """Why the computed, awarded and paid amounts of one candidate differ, in the order the money moved."""
    why = []
    if computed_now != cand.computed_fen:
        why.append(
            _("按现有数据测算为 %(now)s 元，批次名单按当时数据测算为 %(then)s 元")
            % {"now": yuan_text(computed_now), "then": yuan_text(cand.computed_fen)}
        )
    status = cand.status
    if status == Candidate.Status.SUPERSEDED:
        why.append(_("从优从高不重复：%(reason)s") % {"reason": cand.reason or _("同类奖补只享受一项")})
    elif status == Candidate.Status.DUPLICATE:
        why.append(cand.reason or _("同一事项已享受，不重复"))
    elif status == Candidate.Status.CARRIED:
        why.append(_("本批预算不足，转入下一批（%(reason)s）") % {"reason": cand.reason})
    elif status == Candidate.Status.WITHDRAWN:
        why.append(_("公示期间异议成立，取消：%(reason)s") % {"reason": cand.reason})
    elif status in (
        Candidate.Status.COUNTY_REJECTED,
        Candidate.Status.CITY_REJECTED,
        Candidate.Status.JOINT_REJECTED,
    ):
        why.append(_("%(status)s：%(reason)s") % {"status": cand.get_status_display(), "reason": cand.reason})
    awarded = cand.awarded_fen
    if awarded and awarded != cand.computed_fen:
        whole = (cand.computed_fen // 100) * 100
        if awarded == whole:
            why.append(_("按整元核定（角、分舍去）"))
        elif cand.round.prorated:
            why.append(
                _("预算不足，按比例分配：测算 %(computed)s 元，核定 %(awarded)s 元")
                % {"computed": yuan_text(cand.computed_fen), "awarded": yuan_text(awarded)}
            )
    if payment is not None:
        for r in payment.recoveries.all():
            why.append(
                _("数据调减后重新核定为 %(due)s 元，多拨 %(over)s 元应退回（已退回 %(back)s 元）")
                % {
                    "due": yuan_text(r.recomputed_fen),
                    "over": yuan_text(r.overpaid_fen),
                    "back": yuan_text(r.recovered_fen),
                }
            )
        if payment.status == Payment.Status.FAILED:
            why.append(_("拨付失败：%(reason)s") % {"reason": payment.failure_reason})
        elif payment.status == Payment.Status.PENDING:
            why.append(_("已生成拨付指令 %(ref)s，等待银行到账") % {"ref": payment.reference})
    return why


# ---- screening (免申即享) -----------------------------------------------------------------------------


@transaction.atomic
def do_start_screening(*, year: int, policy_codes=None, round_=None, acting_user) -> ScreeningRun:
    """Queue a screening of every organisation against the policies; runs as a background job with progress."""
    from kechuang.jobs.queue import enqueue

    require_cap(acting_user, PolicyCap.SCREEN)
    versions = current_versions()
    codes = list(policy_codes or sorted(versions))
    unknown = [c for c in codes if c not in versions]
    if unknown:
        raise DomainError(ErrorCode.INVALID, _("未知的政策：%(codes)s") % {"codes": ", ".join(unknown)})
    run = ScreeningRun.objects.create(year=year, policy_codes=codes, round=round_, created_by=acting_user)
    job = enqueue(
        "policy.screen",
        params={"run_id": run.pk},
        label=_("政策筛查 %(year)s 年度") % {"year": year},
        acting_user=acting_user,
    )
    run.job = job
    run.save(update_fields=["job"])
    record(
        "policy.screening.start",
        run,
        acting_user=acting_user,
        changes={"year": [None, year], "policies": [None, codes]},
    )
    return run


def run_screening(run: ScreeningRun, progress=None, chunk: int = 20000) -> ScreeningRun:
    """Screen every organisation in scope and store one result per (organisation, policy). Not one transaction:
    results are written in chunks so progress can be shown; a failed run is marked failed and can be redone."""
    started = time.perf_counter()
    ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.RUNNING)
    versions = current_versions()
    policies = [(versions[c], get_policy(versions[c])) for c in run.policy_codes if c in versions]
    area = (
        Round.objects.filter(pk=run.round_id).values_list("area_id", flat=True).first()
        if run.round_id
        else None
    )
    scope = inp.Organisation.objects.filter(is_active=True)
    if area:  # a city's (or county's) round screens that area's organisations only
        scope = scope.filter(Q(city_id=area) | Q(region_id=area))
    pop = inp.population(scope, kinds=inp.kinds_for([p for _, p in policies]))
    # 免申即享 pays only on figures the rules accept; estimates and self-checks take every source
    payout_keys = set().union(*(p.required_inputs() for _, p in policies if p.kind == "payout"))
    other_keys = set().union(*(p.required_inputs() for _, p in policies if p.kind != "payout"))
    payout_data = inp.load_inputs(pop, run.year, payout_keys - {("paid_before", 0)}) if payout_keys else {}
    other_data = (
        inp.load_inputs(pop, run.year, other_keys - {("paid_before", 0)}, authoritative=False)
        if other_keys
        else {}
    )
    total = pop.n * len(policies)
    done = 0
    summary = {}
    ScreeningResult.objects.filter(run=run).delete()
    batches = {}
    checked: dict = {}  # inputs checked once for all policies
    for version, policy in policies:
        pdata = payout_data if policy.kind == "payout" else other_data
        if ("paid_before", 0) in policy.required_inputs():
            pdata = {**pdata, ("paid_before", 0): inp.paid_before(pop, policy.code, run.year)}
        batch = policy.evaluate_batch(run.year, pdata, pop.n, checked)
        batches[policy.code] = (version, policy, batch, pdata)
        in_scope = ~((batch.failed == 0) & bool(policy.applies_to)) if pop.n else np.zeros(0, dtype=bool)
        rows = np.flatnonzero(in_scope)
        summary[policy.code] = {
            "version": version.version,
            "in_scope": int(len(rows)),
            "eligible": int((batch.status[rows] == ELIGIBLE).sum()),
            "not_computable": int((batch.status[rows] == NOT_COMPUTABLE).sum()),
            "amount_fen": int(batch.amount[rows].sum()),
        }
        reason_cache: dict[int, str] = {}
        cond_keys = [c.key for c in policy.conditions] + [""]
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            status, amount, failed, why, capped = (
                batch.status[part].tolist(),
                batch.amount[part].tolist(),
                batch.failed[part].tolist(),
                batch.reason[part].tolist(),
                batch.capped[part].tolist(),
            )
            for rid in set(why):
                if rid and rid not in reason_cache:
                    reason_cache[rid] = reason_text(policy.reason_of(rid))[:255]
            reasons = [
                reason_cache.get(rid, "") if st == NOT_COMPUTABLE else ""
                for rid, st in zip(why, status, strict=True)
            ]
            failed_keys = [cond_keys[f] for f in failed]
            _insert_results(
                zip(
                    itertools.repeat(run.pk),
                    pop.ids[part].tolist(),
                    itertools.repeat(version.pk),
                    itertools.repeat(policy.code),
                    status,
                    amount,
                    capped,
                    failed_keys,
                    reasons,
                    strict=False,
                )
            )
            done += len(part)
            if progress:
                progress(done, total, _("已筛查 %(done)s / %(total)s 条") % {"done": done, "total": total})
    duration = int((time.perf_counter() - started) * 1000)
    if progress and run.round_id:
        progress(total, total, _("正在生成奖补对象名单…"))
    with transaction.atomic():
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.DONE,
            organisations=pop.n,
            summary=summary,
            duration_ms=duration,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        record("policy.screening.finish", run, acting_user=None, changes={"summary": [None, summary]})
        if run.round_id:
            _candidates_from_screening(run, pop, batches)
    return run


@transaction.atomic
def release_failed_screening(run_id: int) -> None:
    """A screening that failed for good (an error, or its worker died on the last attempt): the run is marked
    failed, its partial results are dropped, and its round goes back to draft so it can be screened again."""
    run = ScreeningRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status == ScreeningRun.Status.DONE:
        return
    ScreeningResult.objects.filter(run=run).delete()
    if run.status != ScreeningRun.Status.FAILED:
        run.status = ScreeningRun.Status.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    if run.round_id is None:
        return
    round_ = Round.objects.select_for_update().get(pk=run.round_id)
    latest = round_.screening_runs.order_by("-id").values_list("pk", flat=True).first()
    if round_.status == Round.Status.SCREENING and latest == run.pk:
        round_.status = Round.Status.DRAFT
        round_.save(update_fields=["status"])
        record(
            "policy.round.screening_failed",
            round_,
            acting_user=None,
            changes={"status": [Round.Status.SCREENING, Round.Status.DRAFT], "screening_run": [None, run.pk]},
        )


_RESULT_COLUMNS = (
    "run_id",
    "organisation_id",
    "policy_version_id",
    "policy_code",
    "status",
    "amount_fen",
    "capped",
    "failed_condition",
    "not_computable",
)


def _insert_results(rows, per_statement: int = 500) -> None:
    """Write screening results with multi-row INSERT statements: the ORM's bulk_create spends most of its time
    compiling SQL per object, and one statement per 500 rows is faster than executemany on SQLite and PostgreSQL."""
    table = connection.ops.quote_name(ScreeningResult._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _RESULT_COLUMNS)
    one = "(" + ", ".join(["%s"] * len(_RESULT_COLUMNS)) + ")"
    rows = list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )


def _dedupe_key(policy: Policy, year: int) -> str:
    return f"{policy.group or policy.code}:{year}"


def _already_taken(org_ids, keys, round_) -> dict[tuple[int, str], str]:
    """(org, dedupe_key) already paid or on another round's active list → a reason to record."""
    taken = {}
    for org_id, key, ref in Payment.objects.filter(
        organisation_id__in=org_ids, dedupe_key__in=keys
    ).values_list("organisation_id", "dedupe_key", "batch__reference"):
        taken[(org_id, key)] = _("已在拨付批次 %(ref)s 中享受") % {"ref": ref}
    active = (*ACTIVE_CANDIDATE, Candidate.Status.CARRIED)
    for org_id, key, name in (
        Candidate.objects.filter(organisation_id__in=org_ids, dedupe_key__in=keys, status__in=active)
        .exclude(round=round_)
        .values_list("organisation_id", "dedupe_key", "round__name")
    ):
        taken.setdefault((org_id, key), _("已列入批次“%(name)s”") % {"name": name})
    return taken


def _candidates_from_screening(run: ScreeningRun, pop, batches) -> int:
    """Create the round's candidate list from a screening: best award per group, nobody twice."""
    round_ = Round.objects.select_for_update().get(pk=run.round_id)
    if round_.status != Round.Status.SCREENING:
        return 0
    offers: dict[int, dict[str, tuple]] = {}
    for code, (version, policy, batch, pdata) in batches.items():
        if policy.kind != "payout" or code not in round_.policy_codes:
            continue
        for i in np.flatnonzero((batch.status == ELIGIBLE) & (batch.amount > 0)).tolist():
            offers.setdefault(i, {})[code] = (int(batch.amount[i]), version, policy, pdata)
    org_ids = [int(pop.ids[i]) for i in offers]
    keys = {_dedupe_key(p, round_.year) for _, (_, p, _, _) in batches.items()}
    taken = {}
    for start in range(0, len(org_ids), 5000):
        taken.update(_already_taken(org_ids[start : start + 5000], keys, round_))
    objs = []
    for i, org_offers in offers.items():
        org_id = int(pop.ids[i])
        for cand in _choose(org_offers, round_.year):
            amount, version, policy, pdata, status, reason = cand
            key = _dedupe_key(policy, round_.year)
            if status == Candidate.Status.PENDING and (org_id, key) in taken:
                status, reason = Candidate.Status.DUPLICATE, taken[(org_id, key)]
            one = policy.evaluate_one(round_.year, inp.row_inputs(pdata, i))
            if one.amount != amount:  # cannot happen: both evaluators agree (property-tested)
                raise RuntimeError(f"vector/single mismatch for org {org_id} policy {policy.code}")
            objs.append(
                Candidate(
                    round=round_,
                    organisation_id=org_id,
                    policy_version=version,
                    policy_code=policy.code,
                    dedupe_key=key,
                    computed_fen=amount,
                    awarded_fen=0,
                    status=status,
                    reason=reason[:255],
                    trace=one.trace,
                )
            )
    Candidate.objects.bulk_create(objs, batch_size=2000)
    round_.status = Round.Status.CITY_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.candidates",
        round_,
        acting_user=None,
        changes={
            "status": [Round.Status.SCREENING, Round.Status.CITY_REVIEW],
            "candidates": [None, len(objs)],
        },
    )
    return len(objs)


def _choose(org_offers: dict, year: int):
    """从优、从高、不重复: within an exclusivity group only the best award stays a candidate; the others are
    recorded as superseded with the reason."""
    groups: dict[str, dict[str, tuple]] = {}
    for code, offer in org_offers.items():
        policy = offer[2]
        groups.setdefault(policy.group or f"__{code}", {})[code] = offer
    for offers in groups.values():
        choice = best_in_group({code: o[0] for code, o in offers.items()})
        winner = offers[choice.winner]
        for code, (amount, version, policy, pdata) in sorted(offers.items()):
            if code == choice.winner:
                yield amount, version, policy, pdata, Candidate.Status.PENDING, ""
            else:
                reason = _(
                    "从优从高不重复：已按“%(policy)s”（%(amount)s 元）列入，本项 %(mine)s 元不重复享受"
                ) % {
                    "policy": label(winner[2].name),
                    "amount": yuan_text(winner[0]),
                    "mine": yuan_text(amount),
                }
                yield amount, version, policy, pdata, Candidate.Status.SUPERSEDED, reason


# ---- programme, fund, round ---------------------------------------------------------------------------------


def _money(value, field: str) -> int:
    """A positive amount in fen, at most 10^15 (refused with 422 otherwise, never an overflow)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DomainError(
            ErrorCode.INVALID, _("预算必须是正的整数金额（分）。"), {"field": field}, status=422
        )
    if value > MAX_FEN:
        raise DomainError(
            ErrorCode.INVALID,
            _("金额不能超过 %(max)s 元。") % {"max": f"{MAX_FEN // 100:,}"},
            {"field": field},
            status=422,
        )
    return value


def _year(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise DomainError(
            ErrorCode.INVALID,
            _("年度应在 %(lo)s 至 %(hi)s 之间。") % {"lo": MIN_YEAR, "hi": MAX_YEAR},
            {"field": field},
            status=422,
        )
    return value


@transaction.atomic
def do_create_programme(
    name: str,
    policy_codes: list[str],
    *,
    description: str = "",
    joint_departments=None,
    notice_min_days: int = DEFAULT_NOTICE_DAYS,
    objection_release: str = "carry",
    city_share_bp: int = 0,
    county_share_bp: int = 0,
    acting_user,
) -> Programme:
    """A programme of the acting official's department, for its area (a city official's programme is its city's).
    `notice_min_days`: the floor of every round's 公示 in working days (at least 1); `objection_release`: what an
    upheld objection's money does (carry | redistribute); `city_share_bp`/`county_share_bp`: the co-funding shares
    of city and county finance in each award (the region passes down the rest, 下达)."""
    require(can_create_programme(acting_user), PolicyCap.ROUND_MANAGE)
    versions = current_versions()
    unknown = [c for c in policy_codes if c not in versions]
    if unknown or not policy_codes:
        raise DomainError(ErrorCode.INVALID, _("请选择已有的政策：%(codes)s") % {"codes": ", ".join(unknown)})
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, _("名称不能为空。"), {"field": "name"})
    joint = list(joint_departments or JOINT_REVIEW_DEPARTMENTS)
    if not set(joint) <= set(DepartmentType.values):
        raise DomainError(ErrorCode.INVALID, _("未知的会审部门。"), {"field": "joint_departments"})
    from kechuang.policy.models import ObjectionRelease

    if (
        isinstance(notice_min_days, bool)
        or not isinstance(notice_min_days, int)
        or not 1 <= notice_min_days <= 60
    ):
        raise DomainError(
            ErrorCode.INVALID,
            _("公示最少工作日应在 1 至 60 之间。"),
            {"field": "notice_min_days"},
            status=422,
        )
    if objection_release not in ObjectionRelease.values:
        raise DomainError(ErrorCode.INVALID, _("未知的异议资金处理方式。"), {"field": "objection_release"})
    for field, value in (("city_share_bp", city_share_bp), ("county_share_bp", county_share_bp)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
            raise DomainError(
                ErrorCode.INVALID, _("配套比例应在 0 至 100% 之间。"), {"field": field}, status=422
            )
    if city_share_bp + county_share_bp > 10000:
        raise DomainError(
            ErrorCode.INVALID, _("市、县配套比例合计不能超过100%。"), {"field": "city_share_bp"}, status=422
        )
    department = department_of(acting_user)
    programme = Programme.objects.create(
        name=name.strip()[:200],
        policy_codes=list(policy_codes),
        description=description,
        department=department,
        area_id=acting_user.city_id,
        joint_departments=joint,
        notice_min_days=notice_min_days,
        objection_release=objection_release,
        city_share_bp=city_share_bp,
        county_share_bp=county_share_bp,
        created_by=acting_user,
    )
    record(
        "policy.programme.create",
        programme,
        acting_user=acting_user,
        changes={
            "name": [None, programme.name],
            "policies": [None, policy_codes],
            "department": [None, department.pk],
            "area": [None, acting_user.city_id],
            "joint_departments": [None, joint],
            "notice_min_days": [None, notice_min_days],
            "objection_release": [None, objection_release],
            "city_share_bp": [None, city_share_bp],
            "county_share_bp": [None, county_share_bp],
        },
    )
    return programme


@transaction.atomic
def do_create_fund(programme: Programme, name: str, year: int, budget_fen: int, *, acting_user) -> Fund:
    """A programme's fund (budget year, budget in fen ≤ 10^15), by its department within its area."""
    require(can_manage_programme(acting_user, programme), PolicyCap.ROUND_MANAGE)
    budget_fen = _money(budget_fen, "budget_fen")
    year = _year(year, "year")
    fund = Fund.objects.create(
        programme=programme,
        department_id=programme.department_id,
        name=(name.strip() or programme.name)[:200],
        year=year,
        budget_fen=budget_fen,
        created_by=acting_user,
    )
    LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.BUDGET,
        amount_fen=budget_fen,
        note=_("预算下达"),
        created_by=acting_user,
    )
    record(
        "policy.fund.create",
        fund,
        acting_user=acting_user,
        changes={"budget_fen": [None, budget_fen], "year": [None, year], "programme": [None, programme.pk]},
    )
    return fund


@transaction.atomic
def do_create_programme_with_fund(
    name: str,
    policy_codes: list[str],
    *,
    fund_name: str = "",
    fund_year: int,
    budget_fen: int,
    description: str = "",
    acting_user,
    **options,
) -> Fund:
    """A programme and its fund in one transaction: either both exist afterwards or neither. `options`: those of
    `do_create_programme` (公示 floor, objection release, co-funding shares)."""
    _money(budget_fen, "budget_fen")
    _year(fund_year, "fund_year")
    programme = do_create_programme(
        name, policy_codes, description=description, acting_user=acting_user, **options
    )
    return do_create_fund(
        programme, fund_name or programme.name, fund_year, budget_fen, acting_user=acting_user
    )


def committed_budget(fund: Fund) -> int:
    """What the fund's rounds hold: every round's budget except cancelled rounds', less what upheld objections
    released back to the fund (for the next batch)."""
    held = fund.rounds.exclude(status=Round.Status.CANCELLED).aggregate(
        b=Sum("budget_fen", default=0), r=Sum("released_fen", default=0)
    )
    return held["b"] - held["r"]


@transaction.atomic
def do_create_round(
    fund: Fund,
    name: str,
    *,
    year: int,
    budget_fen: int,
    policy_codes=None,
    mode=Round.Mode.SCREEN,
    notice_days: int | None = None,
    allocation=Round.Allocation.BATCHES,
    budget_year: int | None = None,
    carried_from: Round | None = None,
    acting_user,
) -> Round:
    """A round (批次) of a fund. `year` is the data year (whose figures are rewarded), `budget_year` the year
    whose budget pays (the fund's year by default). A round carried from an earlier one (第二批) takes that
    round's candidates the budget could not cover, reviewed already, straight to the 联合会审."""
    fund = Fund.objects.select_for_update().select_related("programme").get(pk=fund.pk)
    require(can_manage_programme(acting_user, fund.programme), PolicyCap.ROUND_MANAGE)
    codes = list(policy_codes or fund.programme.policy_codes)
    if not set(codes) <= set(fund.programme.policy_codes):
        raise DomainError(ErrorCode.INVALID, _("批次的政策必须属于该项目。"))
    budget_fen = _money(budget_fen, "budget_fen")
    year = _year(year, "year")
    budget_year = _year(fund.year if budget_year is None else budget_year, "budget_year")
    if budget_year < year:
        raise DomainError(
            ErrorCode.INVALID, _("预算年度不能早于数据年度。"), {"field": "budget_year"}, status=422
        )
    floor = max(fund.programme.notice_min_days, 1)
    notice_days = max(DEFAULT_NOTICE_DAYS, floor) if notice_days is None else notice_days
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or not floor <= notice_days <= 60:
        raise DomainError(
            ErrorCode.INVALID,
            _("公示期应为 %(floor)s 至 60 个工作日（本项目不少于 %(floor)s 个工作日）。") % {"floor": floor},
            {"field": "notice_days"},
            status=422,
        )
    if mode not in Round.Mode.values:
        raise DomainError(ErrorCode.INVALID, _("未知的方式。"), {"field": "mode"})
    if allocation not in Round.Allocation.values:
        raise DomainError(ErrorCode.INVALID, _("未知的分配方式。"), {"field": "allocation"})
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, _("名称不能为空。"), {"field": "name"})
    committed = committed_budget(fund)
    if committed + budget_fen > fund.budget_fen:
        raise DomainError(
            ErrorCode.BUDGET_EXCEEDED,
            _("本批预算超出资金余额：资金 %(fund)s 元，已安排 %(used)s 元。")
            % {"fund": yuan_text(fund.budget_fen), "used": yuan_text(committed)},
        )
    carried = []
    if carried_from is not None:
        carried_from = Round.objects.select_for_update().get(pk=carried_from.pk)
        if carried_from.fund.programme_id != fund.programme_id or carried_from.year != year:
            raise DomainError(ErrorCode.INVALID, _("只能承接同一项目、同一数据年度的批次。"))
        if Round.objects.filter(carried_from=carried_from).exclude(status=Round.Status.CANCELLED).exists():
            raise DomainError(ErrorCode.CONFLICT, _("该批次的结转对象已转入其他批次。"), status=409)
        carried = list(
            Candidate.objects.select_for_update()
            .filter(round=carried_from, status=Candidate.Status.CARRIED)
            .order_by("id")
        )
        if not carried:
            raise StateError(_("该批次没有转入下一批的对象。"))
    round_ = Round.objects.create(
        fund=fund,
        department_id=fund.department_id or fund.programme.department_id,
        area_id=fund.programme.area_id,
        name=name.strip()[:200],
        year=year,
        budget_year=budget_year,
        policy_codes=codes,
        mode=mode,
        allocation=allocation,
        budget_fen=budget_fen,
        notice_days=notice_days,
        carried_from=carried_from,
        status=Round.Status.CITY_REVIEW if carried else Round.Status.DRAFT,
        created_by=acting_user,
    )
    for old in carried:
        Candidate.objects.create(
            round=round_,
            organisation_id=old.organisation_id,
            policy_version_id=old.policy_version_id,
            policy_code=old.policy_code,
            dedupe_key=old.dedupe_key,
            computed_fen=old.computed_fen,
            status=Candidate.Status.RECOMMENDED,
            reason=_("由“%(name)s”转入") % {"name": carried_from.name},
            trace=old.trace,
            applied=old.applied,
            attachment=old.attachment,
            county_reviewed_by_id=old.county_reviewed_by_id,
            county_note=old.county_note,
            city_reviewed_by_id=old.city_reviewed_by_id,
            city_note=old.city_note,
            data_flags=old.data_flags,
        )
    if carried:
        Candidate.objects.filter(pk__in=[c.pk for c in carried]).update(
            reason=(_("已转入“%(name)s”") % {"name": round_.name})[:255]
        )
    record(
        "policy.round.create",
        round_,
        acting_user=acting_user,
        changes={
            "budget_fen": [None, budget_fen],
            "mode": [None, mode],
            "year": [None, year],
            "budget_year": [None, budget_year],
            "allocation": [None, allocation],
            "carried_from": [None, carried_from.pk if carried_from else None],
            "carried": [None, len(carried)],
        },
    )
    return round_


@transaction.atomic
def do_cancel_round(round_: Round, *, reason: str, acting_user) -> Round:
    """Cancel a round while nothing is decided (before approval): its budget returns to the fund."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_)
    if round_.status not in CANCELLABLE:
        raise StateError(
            _("批次当前状态为“%(status)s”，已有决定，不能撤销。") % {"status": round_.get_status_display()}
        )
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写撤销原因。"), {"field": "reason"})
    before = round_.status
    round_.status = Round.Status.CANCELLED
    round_.cancel_reason = reason.strip()[:255]
    round_.save(update_fields=["status", "cancel_reason"])
    record(
        "policy.round.cancel",
        round_,
        acting_user=acting_user,
        changes={"status": [before, round_.status], "released_fen": [None, round_.budget_fen]},
        note=round_.cancel_reason,
    )
    return round_


def _lock_round(round_: Round, *expected) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if expected and locked.status not in expected:
        raise StateError(
            _("批次当前状态为“%(status)s”，不能执行此操作。") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def do_screen_round(round_: Round, *, acting_user) -> ScreeningRun:
    """免申即享: screen every organisation for the round's policies; the job then fills the candidate list."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_, Round.Status.DRAFT, Round.Status.SCREENING)
    if round_.mode != Round.Mode.SCREEN:
        raise StateError(_("依申请的批次不进行全量筛查。"))
    if round_.status == Round.Status.SCREENING:  # only to retry a screening that failed
        last = round_.screening_runs.order_by("-id").first()
        if last is not None and last.status != ScreeningRun.Status.FAILED:
            raise StateError(_("筛查正在进行，请等待完成。"))
    before = round_.status
    run = do_start_screening(
        year=round_.year, policy_codes=round_.policy_codes, round_=round_, acting_user=acting_user
    )
    round_.status = Round.Status.SCREENING
    round_.save(update_fields=["status"])
    record(
        "policy.round.screen", round_, acting_user=acting_user, changes={"status": [before, round_.status]}
    )
    return run


# Policies whose entitlement another module decides by its own procedure (expert review, public notice and the
# regional government's decision, or a national announcement it records): nobody applies for them, and a candidate
# that module adds with its decision (`decided=`) starts as recommended — the county and city have nothing to review
# — and goes on through the 联合会审, notice, 财政会签, approval, payment and reconciliation like any other.
DECIDED_ELSEWHERE = {
    "st_award_prize": "awards",
    "patent_award_prize": "awards",
    "national_award_matching": "awards",
    "national_award_defence": "awards",
}


@transaction.atomic
def do_add_candidate(
    round_: Round,
    organisation,
    policy_code: str,
    *,
    acting_user,
    attachment=None,
    applied: bool = False,
    decided: str = "",
) -> Candidate:
    """Put one organisation on a round's list, computed by the engine (an application, or another module).

    `decided`: the decision of another module's procedure that already settled the entitlement (its document
    number and what it covers), only for the policies in `DECIDED_ELSEWHERE`."""
    if policy_code in DECIDED_ELSEWHERE and applied:
        raise DomainError(ErrorCode.INVALID, _("这项奖励依据评审决定拨付，无需申请。"), status=422)
    if decided and policy_code not in DECIDED_ELSEWHERE:
        raise DomainError(ErrorCode.INVALID, _("这项政策须经区县初审、市级推荐。"), status=422)
    if applied:
        if not (has_cap(acting_user, PolicyCap.APPLY) and acting_user.organisation_id == organisation.pk):
            raise PermissionDenied(PolicyCap.APPLY)
    else:
        require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_, Round.Status.DRAFT)
    if round_.area_id and round_.area_id not in (organisation.city_id, organisation.region_id):
        raise DomainError(ErrorCode.INVALID, _("该批次只面向%(area)s的机构。") % {"area": round_.area.name})
    if policy_code not in round_.policy_codes:
        raise DomainError(ErrorCode.INVALID, _("该批次不受理这项政策。"))
    calc = calculate_for_organisation(organisation, round_.year, codes=[policy_code])[0]
    if calc.policy.kind != "payout":
        raise DomainError(ErrorCode.INVALID, _("这项政策不涉及资金拨付。"))
    if not calc.result.eligible or calc.result.amount <= 0:
        raise DomainError(
            ErrorCode.NOT_COMPUTABLE if calc.result.status == NOT_COMPUTABLE else ErrorCode.INVALID,
            _("不符合“%(policy)s”：%(reason)s")
            % {"policy": calc.name, "reason": calc.reason or _("金额为零")},
        )
    key = _dedupe_key(calc.policy, round_.year)
    if Candidate.objects.filter(round=round_, organisation=organisation, policy_code=policy_code).exists():
        raise DomainError(ErrorCode.CONFLICT, _("已经提交过这项申请。"), status=409)
    status, reason = (Candidate.Status.RECOMMENDED if decided else Candidate.Status.PENDING), ""
    taken = _already_taken([organisation.pk], [key], round_)
    if taken and applied:
        # an application for what was already paid (or is on another round's list) is refused, with the reason,
        # rather than accepted and shown as 0.00 later
        raise DomainError(
            ErrorCode.CONFLICT,
            _("不能重复申请“%(policy)s”：%(reason)s")
            % {"policy": calc.name, "reason": taken[(organisation.pk, key)]},
            {"policy_code": policy_code, "reason": "already_taken"},
            status=409,
        )
    if taken:
        status, reason = Candidate.Status.DUPLICATE, taken[(organisation.pk, key)]
    else:
        rival = (
            Candidate.objects.select_for_update()
            .filter(round=round_, organisation=organisation, dedupe_key=key, status=Candidate.Status.PENDING)
            .first()
        )
        if rival is not None:
            choice = best_in_group({rival.policy_code: rival.computed_fen, policy_code: calc.result.amount})
            loser_reason = _("从优从高不重复：同类奖补只享受金额较高的一项")
            if choice.winner == policy_code:
                rival.status, rival.reason = Candidate.Status.SUPERSEDED, loser_reason
                rival.save(update_fields=["status", "reason"])
            else:
                status, reason = Candidate.Status.SUPERSEDED, loser_reason
    candidate = Candidate.objects.create(
        round=round_,
        organisation=organisation,
        policy_version=calc.version,
        policy_code=policy_code,
        dedupe_key=key,
        computed_fen=calc.result.amount,
        status=status,
        reason=reason,
        trace=calc.result.trace,
        applied=applied,
        attachment=attachment or "",
        county_note=decided.strip()[:255],
        city_note=decided.strip()[:255],
    )
    record(
        "policy.candidate.add",
        candidate,
        acting_user=acting_user,
        changes={
            "policy": [None, policy_code],
            "computed_fen": [None, calc.result.amount],
            "status": [None, status],
        },
    )
    return candidate


@transaction.atomic
def do_close_applications(round_: Round, *, acting_user) -> Round:
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_, Round.Status.DRAFT)
    if round_.mode != Round.Mode.APPLY:
        raise StateError(_("免申即享批次请使用全量筛查。"))
    round_.status = Round.Status.CITY_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.close_applications",
        round_,
        acting_user=acting_user,
        changes={"status": [Round.Status.DRAFT, round_.status]},
    )
    return round_


# ---- reviews: 区县初审 → 市级推荐 → 联合会审 ----------------------------------------------------------------------


def _review_candidate(candidate: Candidate, allowed, expected, cap: str):
    candidate = (
        Candidate.objects.select_for_update()
        .select_related("organisation", "round", "round__fund__programme")
        .get(pk=candidate.pk)
    )
    require(allowed(candidate), cap)
    _lock_round(candidate.round, Round.Status.CITY_REVIEW)
    if candidate.status not in expected:
        raise StateError(
            _("该对象当前为“%(status)s”，不能执行此审核。") % {"status": candidate.get_status_display()}
        )
    return candidate


@transaction.atomic
def do_county_review(candidate: Candidate, *, approve: bool, note: str = "", acting_user) -> Candidate:
    """区县初审: by an official whose area covers the candidate (its county, or its city for counties without
    their own reviewer). May be revised until the city has recommended."""
    candidate = _review_candidate(
        candidate,
        lambda c: can_county_review(acting_user, c),
        (Candidate.Status.PENDING, Candidate.Status.COUNTY_PASSED, Candidate.Status.COUNTY_REJECTED),
        PolicyCap.CITY_REVIEW,
    )
    before = candidate.status
    candidate.status = Candidate.Status.COUNTY_PASSED if approve else Candidate.Status.COUNTY_REJECTED
    candidate.county_reviewed_by = acting_user
    candidate.county_note = note[:255]
    candidate.save(update_fields=["status", "county_reviewed_by", "county_note"])
    record(
        "policy.candidate.county_review",
        candidate,
        acting_user=acting_user,
        changes={"status": [before, candidate.status]},
        note=note,
    )
    return candidate


@transaction.atomic
def do_city_review(candidate: Candidate, *, approve: bool, note: str = "", acting_user) -> Candidate:
    """市级推荐: by a city-level official of the candidate's city, after the county's first review, and never by
    the person who did that first review."""
    candidate = _review_candidate(
        candidate,
        lambda c: can_city_review(acting_user, c),
        (Candidate.Status.COUNTY_PASSED, Candidate.Status.RECOMMENDED, Candidate.Status.CITY_REJECTED),
        PolicyCap.CITY_REVIEW,
    )
    if candidate.county_reviewed_by_id == acting_user.pk:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("初审人员不能再作市级推荐（两级审核须由不同人员完成）。"), status=403
        )
    before = candidate.status
    candidate.status = Candidate.Status.RECOMMENDED if approve else Candidate.Status.CITY_REJECTED
    candidate.city_reviewed_by = acting_user
    candidate.city_note = note[:255]
    candidate.save(update_fields=["status", "city_reviewed_by", "city_note"])
    record(
        "policy.candidate.city_review",
        candidate,
        acting_user=acting_user,
        changes={"status": [before, candidate.status]},
        note=note,
    )
    return candidate


def _review_all(round_, acting_user, note, *, level: str) -> int:
    round_ = _lock_round(round_, Round.Status.CITY_REVIEW)
    if level == "county":
        qs = Candidate.objects.filter(round=round_, status=Candidate.Status.PENDING).filter(
            area_q(acting_user, "organisation__")
        )
        new, by, note_field = Candidate.Status.COUNTY_PASSED, "county_reviewed_by", "county_note"
        before = Candidate.Status.PENDING
    else:
        qs = Candidate.objects.filter(
            round=round_, status=Candidate.Status.COUNTY_PASSED, organisation__city_id=acting_user.city_id
        ).exclude(county_reviewed_by=acting_user)
        new, by, note_field = Candidate.Status.RECOMMENDED, "city_reviewed_by", "city_note"
        before = Candidate.Status.COUNTY_PASSED
    ids = list(qs.select_for_update().order_by("id").values_list("id", flat=True))
    Candidate.objects.filter(pk__in=ids).update(status=new, **{by: acting_user, note_field: note[:255]})
    record(
        f"policy.round.{level}_review_all",
        round_,
        acting_user=acting_user,
        changes={"status": [before, new], "candidates": [None, ids], "area": [None, acting_user.city_id]},
        note=note,
    )
    return len(ids)


@transaction.atomic
def do_county_review_all(round_: Round, *, acting_user, note: str = "") -> int:
    """Pass every candidate of the official's area still waiting for the first review."""
    require(has_cap(acting_user, PolicyCap.CITY_REVIEW) and bool(acting_user.city_id), PolicyCap.CITY_REVIEW)
    return _review_all(round_, acting_user, note, level="county")


@transaction.atomic
def do_city_review_all(round_: Round, *, acting_user, note: str = "") -> int:
    """Recommend every candidate of the official's city that passed the first review (except those the official
    reviewed first: the second level is someone else)."""
    require(
        has_cap(acting_user, PolicyCap.CITY_REVIEW) and area_level(acting_user) == "city",
        PolicyCap.CITY_REVIEW,
    )
    return _review_all(round_, acting_user, note, level="city")


RD_STATISTICS_INDICATOR = "rd_spending"  # the statistics bureau's 107-1 R&D expenditure
RD_TAX_INDICATOR = "rd_super_deduction"  # the R&D expense the tax authority confirmed
RD_SOURCES = {RD_STATISTICS_INDICATOR: IndicatorSource.STATISTICS, RD_TAX_INDICATOR: IndicatorSource.TAX}
RD_GAP_FLAG_BP = 2000  # a gap above 20% of the larger figure is flagged for the reviewers


def rd_gap_flags(org_ids, year: int) -> dict[int, list[dict]]:
    """Compare the statistics bureau's 107-1 R&D figure with the tax-confirmed one for each organisation (each
    only as its bureau delivered it: a figure from another source counts as missing); flag large gaps and a
    missing figure. {org_id: [flag]}, flag = {"kind", "statistics_fen", "tax_fen", "gap_bp"}."""
    values: dict[int, dict[str, int]] = {}
    org_ids = list(org_ids)
    for start in range(0, len(org_ids), 5000):
        for org_id, code, value, source in IndicatorValue.objects.filter(
            organisation_id__in=org_ids[start : start + 5000],
            indicator_id__in=list(RD_SOURCES),
            year=year,
            is_current=True,
        ).values_list("organisation_id", "indicator_id", "value", "source"):
            if source == RD_SOURCES[code]:
                values.setdefault(org_id, {})[code] = value
    flags: dict[int, list[dict]] = {}
    for org_id in org_ids:
        figures = values.get(org_id, {})
        stat, tax = figures.get(RD_STATISTICS_INDICATOR), figures.get(RD_TAX_INDICATOR)
        if stat is None or tax is None:
            flags[org_id] = [{"kind": "rd_missing", "statistics_fen": stat, "tax_fen": tax, "gap_bp": None}]
            continue
        larger = max(stat, tax)
        gap_bp = abs(stat - tax) * 10000 // larger if larger > 0 else 0
        if gap_bp > RD_GAP_FLAG_BP:
            flags[org_id] = [{"kind": "rd_gap", "statistics_fen": stat, "tax_fen": tax, "gap_bp": gap_bp}]
    return flags


def flag_text(flag: dict) -> str:
    if flag.get("kind") == "rd_gap":
        return _("统计局107-1研发支出 %(stat)s 元与税务确认 %(tax)s 元相差 %(pct)s%%") % {
            "stat": yuan_text(flag["statistics_fen"], places=0),
            "tax": yuan_text(flag["tax_fen"], places=0),
            "pct": percent_text(flag["gap_bp"], places=1, sign=""),
        }
    return _("缺少统计局107-1研发支出或税务确认的研发费用（统计 %(stat)s 元，税务 %(tax)s 元）") % {
        "stat": yuan_text(flag.get("statistics_fen"), places=0),
        "tax": yuan_text(flag.get("tax_fen"), places=0),
    }


@transaction.atomic
def do_start_joint_review(round_: Round, *, acting_user) -> Round:
    """Hand the cities' recommendations to the 联合会审; the 107-1 and tax R&D figures are compared and large
    gaps flagged on each candidate for the departments."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_, Round.Status.CITY_REVIEW)
    waiting = Candidate.objects.filter(
        round=round_, status__in=[Candidate.Status.PENDING, Candidate.Status.COUNTY_PASSED]
    ).count()
    if waiting:
        raise StateError(_("还有 %(n)s 个对象未完成区县初审或市级推荐。") % {"n": waiting})
    recommended = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.RECOMMENDED)
        .values_list("id", "organisation_id")
    )
    flags = rd_gap_flags({org for _, org in recommended}, round_.year)
    flagged = 0
    for cid, org in recommended:
        if flags.get(org):
            Candidate.objects.filter(pk=cid).update(data_flags=flags[org])
            flagged += 1
    round_.status = Round.Status.JOINT_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.joint_review_start",
        round_,
        acting_user=acting_user,
        changes={
            "status": [Round.Status.CITY_REVIEW, Round.Status.JOINT_REVIEW],
            "recommended": [None, len(recommended)],
            "flagged": [None, flagged],
        },
    )
    return round_


def missing_signoffs(round_: Round) -> list[str]:
    signed = set(round_.signoffs.values_list("department_type", flat=True))
    return [d for d in round_.fund.programme.joint_departments if d not in signed]


@transaction.atomic
def do_joint_signoff(round_: Round, *, acting_user, vetoes=None, note: str = "") -> JointSignoff:
    """One department's signature in the 联合会审. `vetoes` {candidate_id: reason}: each must be a recommended
    candidate of this round that the official can see, each with a reason; a vetoed candidate is out."""
    round_ = Round.objects.select_related("fund__programme").get(pk=round_.pk)
    require(can_sign_joint_review(acting_user, round_), PolicyCap.JOINT_REVIEW)
    _lock_round(round_, Round.Status.JOINT_REVIEW)
    department = department_of(acting_user)
    if round_.signoffs.filter(department_type=department.department_type).exists():
        raise DomainError(ErrorCode.CONFLICT, _("本部门已在联合会审中签署意见。"), status=409)
    try:
        vetoes = {int(k): str(v or "").strip() for k, v in dict(vetoes or {}).items()}
    except (TypeError, ValueError, OverflowError):
        raise DomainError(ErrorCode.INVALID, _("否决的对象编号无效。"), {"field": "vetoes"}, status=422)
    targets = {
        c.pk: c
        for c in Candidate.objects.select_for_update()
        .select_related("organisation")
        .filter(round=round_, pk__in=list(vetoes), status=Candidate.Status.RECOMMENDED)
    }
    unknown = sorted(
        cid for cid in vetoes if cid not in targets or not can_view_candidate(acting_user, targets[cid])
    )
    if unknown:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("这些对象不在本批次的会审名单中：%(ids)s") % {"ids": ", ".join(map(str, unknown))},
            {"field": "vetoes", "ids": unknown},
            status=404,
        )
    if any(not reason for reason in vetoes.values()):
        raise DomainError(ErrorCode.INVALID, _("否决须写明理由。"), {"field": "vetoes"}, status=422)
    signoff = JointSignoff.objects.create(
        round=round_,
        department_type=department.department_type,
        department=department,
        signed_by=acting_user,
        note=note.strip()[:255],
    )
    dept_label = DepartmentType(department.department_type).label
    for cid, reason in sorted(vetoes.items()):
        Veto.objects.create(signoff=signoff, candidate_id=cid, reason=reason[:255])
        candidate = targets[cid]
        candidate.status = Candidate.Status.JOINT_REJECTED
        candidate.reason = f"{dept_label}：{reason}"[:255]
        candidate.save(update_fields=["status", "reason"])
        record(
            "policy.candidate.veto",
            candidate,
            acting_user=acting_user,
            changes={"status": [Candidate.Status.RECOMMENDED, candidate.status]},
            note=candidate.reason,
        )
    record(
        "policy.round.joint_signoff",
        round_,
        acting_user=acting_user,
        changes={"department": [None, department.department_type], "vetoed": [None, sorted(vetoes)]},
        note=signoff.note,
    )
    return signoff


def allocate(
    requests: list[tuple[int, int]], budget_fen: int, allocation: str
) -> tuple[dict[int, int], list[int]]:
    """Awards in whole 元 for [(candidate_id, computed_fen)] in list order.

    Rounding rule: each computed amount is rounded down to whole 元 (角、分舍去). When the total fits the budget
    everyone gets that. When it does not: `batches` — full amounts in list order while they fit; from the first
    one that does not fit on, everyone is carried to the next batch (so nobody overtakes); `prorate` — the budget
    in whole 元 is shared by the largest-remainder rule (see `prorate`). Returns ({id: awarded_fen}, carried ids).
    """
    whole = [(cid, (fen // 100) * 100) for cid, fen in requests]
    if sum(a for _, a in whole) <= budget_fen:
        return dict(whole), []
    if allocation == Round.Allocation.PRORATE:
        shares = prorate([(cid, a // 100) for cid, a in whole], budget_fen // 100)
        return {cid: yuan * 100 for cid, yuan in shares.items()}, []
    awards, carried, left = {}, [], budget_fen
    for cid, amount in whole:
        if carried or amount > left:
            carried.append(cid)
            continue
        awards[cid] = amount
        left -= amount
    return awards, carried


@transaction.atomic
def do_complete_joint_review(round_: Round, *, acting_user, note: str = "") -> Round:
    """After every department of the 联合会审 has signed: allocate the budget in whole 元 (batches by default,
    or pro-rating), list the candidates and start the 公示. Each candidate's award is audited."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = _lock_round(round_, Round.Status.JOINT_REVIEW)
    round_ = Round.objects.select_related("fund__programme").get(pk=round_.pk)
    missing = missing_signoffs(round_)
    if missing:
        raise StateError(
            _("联合会审尚缺：%(departments)s")
            % {"departments": "、".join(str(DepartmentType(d).label) for d in missing)}
        )
    recommended = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.RECOMMENDED)
        .order_by("id")
        .values_list("id", "computed_fen", "awarded_fen")
    )
    awards, carried = allocate(
        [(cid, fen) for cid, fen, _a in recommended], round_.budget_fen, round_.allocation
    )
    before = {cid: old for cid, _fen, old in recommended}
    for cid, amount in awards.items():
        Candidate.objects.filter(pk=cid).update(awarded_fen=amount, status=Candidate.Status.LISTED)
        record(
            "policy.candidate.award",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            changes={
                "awarded_fen": [before[cid], amount],
                "status": [Candidate.Status.RECOMMENDED, Candidate.Status.LISTED],
            },
        )
    carry_reason = _("预算不足，转入下一批")
    for cid in carried:
        Candidate.objects.filter(pk=cid).update(status=Candidate.Status.CARRIED, reason=carry_reason)
        record(
            "policy.candidate.award",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            changes={
                "awarded_fen": [before[cid], 0],
                "status": [Candidate.Status.RECOMMENDED, Candidate.Status.CARRIED],
            },
        )
    requested = sum(fen for _cid, fen, _a in recommended)
    round_.prorated = round_.allocation == Round.Allocation.PRORATE and requested > round_.budget_fen
    round_.joint_reviewed_by = acting_user
    round_.status = Round.Status.NOTICE
    round_.notice_starts, round_.notice_ends = notice_period(timezone.localdate(), round_.notice_days)
    round_.save(update_fields=["prorated", "joint_reviewed_by", "status", "notice_starts", "notice_ends"])
    record(
        "policy.round.joint_review",
        round_,
        acting_user=acting_user,
        note=note,
        changes={
            "status": [Round.Status.JOINT_REVIEW, Round.Status.NOTICE],
            "listed": [None, len(awards)],
            "carried": [None, len(carried)],
            "requested_fen": [None, requested],
            "awarded_fen": [None, sum(awards.values())],
            "prorated": [None, round_.prorated],
        },
    )
    return round_


# ---- 公示 objections, 财政 concurrence, approval ------------------------------------------------------------------


def notice_period(start: dt.date, working_days: int) -> tuple[dt.date, dt.date]:
    """The 公示 from `start` for `working_days` working days on the official calendar (holidays and make-up
    working days); it starts on the next working day if `start` is a rest day. Both dates are inclusive."""
    if working_days < 1:
        raise DomainError(ErrorCode.INVALID, _("公示期至少1个工作日。"), {"field": "notice_days"}, status=422)
    try:
        end = add_working_days(start, working_days)
    except NotImplementedError:
        raise StateError(_("%(year)s 年的法定节假日安排尚未载入，无法计算公示期。") % {"year": start.year})
    first = start
    while not is_working_day(first):
        first += dt.timedelta(days=1)
    return first, end


def _objection_target(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().select_related("round").get(pk=candidate.pk)
    _lock_round(candidate.round, Round.Status.NOTICE)
    if candidate.status != Candidate.Status.LISTED:
        raise StateError(_("只能对公示中的对象提出异议。"))
    today = timezone.localdate()
    if candidate.round.notice_ends and today > candidate.round.notice_ends:
        raise StateError(_("公示期已于 %(date)s 结束。") % {"date": candidate.round.notice_ends})
    return candidate


def _objection_text(text: str, name: str | None = None, contact: str | None = None) -> tuple[str, str, str]:
    text = (text or "").strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, _("请填写异议内容。"), {"field": "text"}, status=422)
    if len(text) > 5000:
        raise DomainError(ErrorCode.INVALID, _("异议内容不能超过5000字。"), {"field": "text"}, status=422)
    if name is not None and not name.strip():
        raise DomainError(ErrorCode.INVALID, _("请署真实姓名或单位名称。"), {"field": "name"}, status=422)
    if contact is not None and not contact.strip():
        raise DomainError(
            ErrorCode.INVALID, _("请留下联系方式，以便答复。"), {"field": "contact"}, status=422
        )
    return text, (name or "").strip()[:100], (contact or "").strip()[:100]


@transaction.atomic
def do_raise_objection(candidate: Candidate, text: str, *, acting_user) -> Objection:
    """A signed-in user objects (the account is the signature)."""
    require_cap(acting_user, PolicyCap.OBJECT)
    candidate = _objection_target(candidate)
    text, _n, _c = _objection_text(text)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        raised_by=acting_user,
        channel=Objection.Channel.ACCOUNT,
        name=(acting_user.get_full_name() or acting_user.get_username())[:100],
    )
    record(
        "policy.objection.raise",
        candidate,
        acting_user=acting_user,
        changes={"objection": [None, objection.pk]},
        note=text[:200],
    )
    return objection


@transaction.atomic
def do_raise_public_objection(
    candidate: Candidate, text: str, *, name: str, contact: str, acting_user=None
) -> Objection:
    """Anyone objects on the public 公示 page, without an account: real name (or unit) and a contact are required
    (an objection is signed), so the department can answer."""
    candidate = _objection_target(candidate)
    text, name, contact = _objection_text(text, name, contact)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        channel=Objection.Channel.PUBLIC,
        name=name,
        contact=contact,
        raised_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record(
        "policy.objection.raise",
        candidate,
        acting_user=None,
        changes={"objection": [None, objection.pk], "channel": [None, objection.channel]},
        note=f"{name}：{text[:180]}",
    )
    return objection


@transaction.atomic
def do_record_letter(
    candidate: Candidate, text: str, *, name: str, contact: str = "", acting_user
) -> Objection:
    """Staff of the owning department record a signed letter (书面异议) received during the 公示."""
    require(can_manage_round(acting_user, candidate.round), PolicyCap.ROUND_MANAGE)
    candidate = _objection_target(candidate)
    text, name, contact = _objection_text(text, name, None)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        channel=Objection.Channel.LETTER,
        name=name,
        contact=contact,
        recorded_by=acting_user,
    )
    record(
        "policy.objection.letter",
        candidate,
        acting_user=acting_user,
        changes={"objection": [None, objection.pk], "channel": [None, objection.channel]},
        note=f"{name}：{text[:180]}",
    )
    return objection


@transaction.atomic
def do_resolve_objection(objection: Objection, *, upheld: bool, resolution: str, acting_user) -> Objection:
    """An official of the owning department answers an objection (every objection is answered before approval).
    An upheld one takes the candidate off the list; its money is released by the programme's rule: carried (back
    to the fund's balance, for the next batch) or redistributed in this round (the changed list is publicised
    again for the full period)."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("candidate", "candidate__round", "candidate__round__fund__programme")
        .get(pk=objection.pk)
    )
    require(can_manage_round(acting_user, objection.candidate.round), PolicyCap.ROUND_MANAGE)
    if objection.status != Objection.Status.OPEN:
        raise StateError(_("该异议已处理。"))
    if not resolution.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写处理意见。"), {"field": "resolution"})
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.resolved_by = acting_user
    objection.resolution = resolution.strip()[:255]
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "resolved_by", "resolution", "resolved_at"])
    candidate = objection.candidate
    changes = {"objection": [objection.pk, objection.status]}
    if upheld and candidate.status == Candidate.Status.LISTED:
        released = candidate.awarded_fen
        changes["status"] = [candidate.status, Candidate.Status.WITHDRAWN]
        changes["awarded_fen"] = [candidate.awarded_fen, 0]
        candidate.status = Candidate.Status.WITHDRAWN
        candidate.awarded_fen = 0
        candidate.reason = objection.resolution
        candidate.save(update_fields=["status", "awarded_fen", "reason"])
        changes.update(_release(candidate.round, released, acting_user))
    record(
        "policy.objection.resolve",
        candidate,
        acting_user=acting_user,
        changes=changes,
        note=objection.resolution,
    )
    return objection


def _release(round_: Round, released: int, acting_user) -> dict:
    """The money of an upheld objection, by the programme's rule."""
    from kechuang.policy.models import ObjectionRelease

    round_ = _lock_round(round_, Round.Status.NOTICE)
    rule = round_.fund.programme.objection_release
    if rule == ObjectionRelease.REDISTRIBUTE:
        listed = list(
            Candidate.objects.select_for_update()
            .filter(round=round_, status__in=[Candidate.Status.LISTED, Candidate.Status.CARRIED])
            .order_by("id")
            .values_list("id", "computed_fen", "awarded_fen", "status")
        )
        awards, carried = allocate(
            [(cid, fen) for cid, fen, _a, _s in listed], round_.budget_fen, round_.allocation
        )
        changed = 0
        for cid, _fen, old, status in listed:
            new = awards.get(cid, 0)
            new_status = Candidate.Status.LISTED if cid in awards else Candidate.Status.CARRIED
            if new != old or new_status != status:
                changed += 1
                Candidate.objects.filter(pk=cid).update(awarded_fen=new, status=new_status)
                record(
                    "policy.candidate.award",
                    ("policy.candidate", str(cid), str(cid)),
                    acting_user=acting_user,
                    changes={"awarded_fen": [old, new], "status": [status, new_status]},
                    note=_("异议成立后重新分配"),
                )
        if changed:  # the changed list is publicised again for the whole period
            round_.notice_starts, round_.notice_ends = notice_period(timezone.localdate(), round_.notice_days)
            round_.save(update_fields=["notice_starts", "notice_ends"])
        return {"released_fen": [None, released], "release": [None, rule], "redistributed": [None, changed]}
    round_.released_fen += released
    round_.save(update_fields=["released_fen"])
    return {"released_fen": [None, released], "release": [None, rule]}


def reviewers_of(round_: Round) -> set[int]:
    """Everyone who reviewed the round at any level (county, city, 联合会审, its completion)."""
    ids = set()
    for field in ("county_reviewed_by", "city_reviewed_by"):
        ids.update(
            Candidate.objects.filter(round=round_)
            .exclude(**{field: None})
            .values_list(field, flat=True)
            .distinct()
        )
    ids.update(round_.signoffs.values_list("signed_by", flat=True))
    if round_.joint_reviewed_by_id:
        ids.add(round_.joint_reviewed_by_id)
    return ids


def _forbid(message) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message, status=403)


@transaction.atomic
def do_concur_round(round_: Round, *, acting_user, note: str = "") -> Round:
    """财政 concurrence (会签) with the listed awards, by a finance-department approver, during or after the 公示
    and before approval; a reviewer of the round cannot concur. Idempotent."""
    require(can_concur_round(acting_user, round_), PolicyCap.CONCUR)
    round_ = _lock_round(round_, Round.Status.NOTICE)
    if round_.finance_concurred_by_id:
        return round_
    if acting_user.pk in reviewers_of(round_):
        raise _forbid(_("审核过本批次的人员不能会签本批次。"))
    round_.finance_concurred_by = acting_user
    round_.finance_concurred_at = timezone.now()
    round_.finance_note = note.strip()[:255]
    round_.save(update_fields=["finance_concurred_by", "finance_concurred_at", "finance_note"])
    listed = Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED).aggregate(
        n=Count("id"), s=Sum("awarded_fen", default=0)
    )
    record(
        "policy.round.concur",
        round_,
        acting_user=acting_user,
        changes={
            "finance_concurred_by": [None, acting_user.pk],
            "listed": [None, listed["n"]],
            "listed_fen": [None, listed["s"]],
        },
        note=round_.finance_note,
    )
    return round_


@transaction.atomic
def do_approve_round(round_: Round, *, acting_user) -> Round:
    """Approve the listed candidates after the 公示 and the finance concurrence, by an approver of the owning
    department. Separation of duties: whoever reviewed or concurred cannot approve. Idempotent."""
    require(can_approve_round(acting_user, round_), PolicyCap.APPROVE)
    round_ = _lock_round(round_)
    if round_.status in (Round.Status.APPROVED, Round.Status.PAYING, Round.Status.CLOSED):
        return round_
    if round_.status != Round.Status.NOTICE:
        raise StateError(
            _("批次当前状态为“%(status)s”，不能批准。") % {"status": round_.get_status_display()}
        )
    if acting_user.pk in reviewers_of(round_) or acting_user.pk == round_.finance_concurred_by_id:
        raise _forbid(_("审核或会签过本批次的人员不能批准本批次（审批分离）。"))
    if round_.notice_ends and timezone.localdate() <= round_.notice_ends:
        raise StateError(
            _("公示期至 %(date)s 结束（含当日），结束后才能批准。") % {"date": round_.notice_ends}
        )
    open_objections = Objection.objects.filter(candidate__round=round_, status=Objection.Status.OPEN).count()
    if open_objections:
        raise StateError(_("还有 %(n)s 条异议未处理。") % {"n": open_objections})
    if not round_.finance_concurred_by_id:
        raise StateError(_("财政部门尚未会签，不能批准。"))
    approved = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.LISTED, awarded_fen__gt=0)
        .order_by("id")
        .values_list("id", "organisation_id", "awarded_fen")
    )
    Candidate.objects.filter(pk__in=[cid for cid, _o, _a in approved]).update(
        status=Candidate.Status.APPROVED
    )
    for cid, org_id, amount in approved:
        record(
            "policy.candidate.approve",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            organisation_id=org_id,
            changes={
                "status": [Candidate.Status.LISTED, Candidate.Status.APPROVED],
                "awarded_fen": [amount, amount],
            },
        )
    round_.status = Round.Status.APPROVED
    round_.approved_by = acting_user
    round_.approved_at = timezone.now()
    round_.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        "policy.round.approve",
        round_,
        acting_user=acting_user,
        changes={
            "status": [Round.Status.NOTICE, Round.Status.APPROVED],
            "approved": [None, len(approved)],
            "approved_fen": [None, sum(a for _c, _o, a in approved)],
        },
    )
    return round_


# ---- payment, reconciliation, ledger ------------------------------------------------------------------------


def payee_account(organisation) -> str:
    """The payee's bank account as the registry holds it (blank where the registry has none yet)."""
    return (organisation.bank_account or "")[:40]


# ---- 下达: the region's money passed down to city and county finance ----------------------------------------------

TRANSFERABLE = (Round.Status.APPROVED, Round.Status.PAYING, Round.Status.CLOSED)


def local_shares(awarded_fen: int, city_bp: int, county_bp: int) -> tuple[int, int, int]:
    """(region, city, county) shares of one award, each in whole 元: the city's and the county's share are rounded
    down to the 元 and the region passes down the rest, so the three always add up to the award."""
    city = awarded_fen * city_bp // 10000 // 100 * 100
    county = awarded_fen * county_bp // 10000 // 100 * 100
    return awarded_fen - city - county, city, county


def transfer_rows(round_: Round) -> list[dict]:
    """One row per approved award with its city, county and the three shares (the 下达 tables' lines)."""
    programme = round_.fund.programme
    rows = []
    approved = (
        Candidate.objects.filter(round=round_, status__in=[Candidate.Status.APPROVED, Candidate.Status.PAID])
        .select_related("organisation", "organisation__city", "organisation__region")
        .order_by("organisation__city_id", "organisation__region_id", "organisation__name", "id")
    )
    for c in approved:
        region, city, county = local_shares(c.awarded_fen, programme.city_share_bp, programme.county_share_bp)
        org = c.organisation
        rows.append(
            {
                "candidate": c,
                "organisation": org,
                "city": org.city,
                "county": org.region if org.region_id != org.city_id else None,
                "awarded_fen": c.awarded_fen,
                "region_fen": region,
                "city_fen": city,
                "county_fen": county,
            }
        )
    return rows


@transaction.atomic
def do_transfer_round(round_: Round, *, document_no: str, acting_user) -> list:
    """下达: after approval, pass the region's share of the approved awards down to each city's finance bureau
    under one document number (文号), with the city and county co-funding shares the programme defines. Once per
    round and city (a city already passed down is not passed down again); by the owning or the finance
    department."""
    from kechuang.policy.models import Transfer

    require(can_pay_round(acting_user, round_), PolicyCap.PAY)
    round_ = _lock_round(round_)
    if round_.status not in TRANSFERABLE:
        raise StateError(_("批次批准后才能下达资金。"))
    document_no = (document_no or "").strip()
    if not document_no:
        raise DomainError(ErrorCode.INVALID, _("请填写下达文号。"), {"field": "document_no"}, status=422)
    round_ = Round.objects.select_related("fund__programme").get(pk=round_.pk)
    programme = round_.fund.programme
    done = set(Transfer.objects.filter(round=round_).values_list("city_id", flat=True))
    by_city: dict[str, dict] = {}
    for row in transfer_rows(round_):
        if row["city"].pk in done:
            continue
        t = by_city.setdefault(row["city"].pk, {"awards": 0, "total": 0, "region": 0, "city": 0, "county": 0})
        t["awards"] += 1
        t["total"] += row["awarded_fen"]
        t["region"] += row["region_fen"]
        t["city"] += row["city_fen"]
        t["county"] += row["county_fen"]
    if not by_city:
        raise StateError(_("本批次已全部下达，或没有已批准的对象。"))
    made = []
    for city_id, t in sorted(by_city.items()):
        transfer = Transfer.objects.create(
            round=round_,
            city_id=city_id,
            document_no=document_no[:100],
            awards=t["awards"],
            total_fen=t["total"],
            region_fen=t["region"],
            city_fen=t["city"],
            county_fen=t["county"],
            city_share_bp=programme.city_share_bp,
            county_share_bp=programme.county_share_bp,
            created_by=acting_user,
        )
        record(
            "policy.transfer.create",
            transfer,
            acting_user=acting_user,
            changes={
                "city": [None, city_id],
                "region_fen": [None, t["region"]],
                "city_fen": [None, t["city"]],
                "county_fen": [None, t["county"]],
            },
            note=document_no[:200],
        )
        made.append(transfer)
    return made


@transaction.atomic
def do_create_payment_batch(round_: Round, *, acting_user) -> PaymentBatch:
    """One payment batch per round (idempotent), by the owning or the finance department, never by the person
    who approved the round. Each approved candidate gets one payment with its own reference (支付指令号) and the
    payee's account, unless the same organisation was already paid for the same thing — then it is skipped and
    the reason recorded."""
    require(can_pay_round(acting_user, round_), PolicyCap.PAY)
    round_ = _lock_round(round_)
    existing = PaymentBatch.objects.filter(round=round_).first()
    if existing is not None:
        return existing
    if round_.status != Round.Status.APPROVED:
        raise StateError(_("批次批准后才能生成拨付文件。"))
    if acting_user.pk == round_.approved_by_id:
        raise _forbid(_("批准人不能生成本批次的拨付文件（批准、拨付、对账须由三人分别完成）。"))
    batch = PaymentBatch.objects.create(
        round=round_, reference=f"KC{round_.year}-{round_.pk:05d}", created_by=acting_user
    )
    total, skipped, n = 0, 0, 0
    approved = (
        Candidate.objects.select_for_update()
        .select_related("organisation")
        .filter(round=round_, status=Candidate.Status.APPROVED)
        .order_by("id")
    )
    for candidate in approved:
        if Payment.objects.filter(
            organisation_id=candidate.organisation_id, dedupe_key=candidate.dedupe_key
        ).exists():
            candidate.status = Candidate.Status.DUPLICATE
            candidate.reason = _("同一事项已拨付，不重复拨付")
            candidate.save(update_fields=["status", "reason"])
            record(
                "policy.candidate.duplicate",
                candidate,
                acting_user=acting_user,
                changes={"status": [Candidate.Status.APPROVED, candidate.status]},
            )
            skipped += 1
            continue
        n += 1
        payment = Payment.objects.create(
            batch=batch,
            candidate=candidate,
            organisation_id=candidate.organisation_id,
            dedupe_key=candidate.dedupe_key,
            amount_fen=candidate.awarded_fen,
            reference=f"{batch.reference}-{n:05d}",
            payee_name=candidate.organisation.name[:200],
            bank_name=(candidate.organisation.bank_name or "")[:100],
            account=payee_account(candidate.organisation),
        )
        record(
            "policy.payment.create",
            payment,
            acting_user=acting_user,
            changes={"status": [None, payment.status], "amount_fen": [None, payment.amount_fen]},
        )
        total += candidate.awarded_fen
    batch.total_fen = total
    batch.save(update_fields=["total_fen"])
    round_.status = Round.Status.PAYING
    round_.save(update_fields=["status"])
    record(
        "policy.payment_batch.create",
        batch,
        acting_user=acting_user,
        changes={"total_fen": [None, total], "payments": [None, n], "skipped_duplicates": [None, skipped]},
    )
    return batch


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused past the platform's upload limit before reading."""
    from kechuang.spreadsheets import check_upload_size

    check_upload_size(upload.size)
    return upload.read()


@transaction.atomic
def do_reconcile_batch(batch: PaymentBatch, content: bytes, file_name: str, *, acting_user) -> BankReturn:
    """Read the bank's return file (CSV or .xlsx: reference, account, amount, status) and match it to the
    batch's payments. Only a row matching a pending payment exactly (reference once, same account, same amount)
    changes it: success → paid and one ledger entry, failure → failed. Every other row is reported as a mismatch
    and changes nothing; payments absent from the file stay pending. The batch is reconciled when no payment is
    pending. Reading the same file again returns the first report (idempotent); the reconciler is neither the
    approver nor the batch's creator."""
    batch = PaymentBatch.objects.select_for_update().select_related("round", "round__fund").get(pk=batch.pk)
    require(can_pay_round(acting_user, batch.round), PolicyCap.PAY)
    if acting_user.pk in (batch.round.approved_by_id, batch.created_by_id):
        raise _forbid(_("批准人和生成拨付文件的人不能对账（批准、拨付、对账须由三人分别完成）。"))
    sha = hashlib.sha256(content).hexdigest()
    existing = BankReturn.objects.filter(batch=batch, sha256=sha).first()
    if existing is not None:
        return existing
    rows = bankfile.read_bank_return(content, file_name)
    fund = Fund.objects.select_for_update().get(pk=batch.round.fund_id)
    balance = fund.ledger.aggregate(s=Sum("amount_fen"))["s"] or 0
    payments = {
        p.reference: p for p in batch.payments.select_for_update().select_related("candidate").order_by("id")
    }
    counts: dict[str, int] = {}
    for row in rows:
        if row.reference:
            counts[row.reference] = counts.get(row.reference, 0) + 1
    mismatches, paid, failed = [], 0, 0
    now = timezone.now()

    def mismatch(row, kind, **extra):
        mismatches.append({"line": row.line, "reference": row.reference, "kind": kind, **extra})

    for row in rows:
        if row.error:
            mismatch(row, "bad_row", detail=row.error)
            continue
        payment = payments.get(row.reference)
        if payment is None:
            mismatch(row, "unknown_reference")
            continue
        if counts[row.reference] > 1:
            mismatch(row, "duplicate")
            continue
        if row.amount_fen != payment.amount_fen:
            mismatch(row, "wrong_amount", expected_fen=payment.amount_fen, found_fen=row.amount_fen)
            continue
        if payment.account and row.account != payment.account:
            mismatch(row, "wrong_account", expected=payment.account, found=row.account)
            continue
        new = Payment.Status.PAID if row.paid else Payment.Status.FAILED
        if payment.status != Payment.Status.PENDING:
            if payment.status != new:
                mismatch(row, "conflict", recorded=payment.status, found=new)
            continue
        if new == Payment.Status.PAID and payment.amount_fen > balance:
            raise DomainError(ErrorCode.BUDGET_EXCEEDED, _("资金余额不足，无法记账。"))
        before = payment.status
        payment.status = new
        payment.bank_reference = row.bank_reference[:60]
        if new == Payment.Status.PAID:
            payment.paid_at = now
            payment.save(update_fields=["status", "bank_reference", "paid_at"])
            LedgerEntry.objects.create(
                fund=fund,
                kind=LedgerEntry.Kind.PAYMENT,
                amount_fen=-payment.amount_fen,
                payment=payment,
                note=f"{payment.reference} {payment.candidate.policy_code}",
                created_by=acting_user,
            )
            Candidate.objects.filter(pk=payment.candidate_id).update(status=Candidate.Status.PAID)
            balance -= payment.amount_fen
            paid += 1
        else:
            payment.failure_reason = (row.reason or _("银行退回"))[:255]
            payment.save(update_fields=["status", "bank_reference", "failure_reason"])
            failed += 1
        record(
            "policy.payment.reconcile",
            payment,
            acting_user=acting_user,
            changes={"status": [before, new], "bank_reference": [None, payment.bank_reference]},
            note=file_name[:200],
        )
    pending = [p.reference for p in payments.values() if p.status == Payment.Status.PENDING]
    report = BankReturn.objects.create(
        batch=batch,
        file_name=file_name[:200],
        sha256=sha,
        rows=len(rows),
        paid=paid,
        failed=failed,
        mismatches=mismatches,
        read_by=acting_user,
    )
    if not pending and batch.status != PaymentBatch.Status.RECONCILED:
        batch.status = PaymentBatch.Status.RECONCILED
        batch.reconciled_by = acting_user
        batch.reconciled_at = now
        batch.save(update_fields=["status", "reconciled_by", "reconciled_at"])
        Round.objects.filter(pk=batch.round_id).update(status=Round.Status.CLOSED)
    record(
        "policy.payment_batch.reconcile",
        batch,
        acting_user=acting_user,
        changes={
            "file": [None, file_name[:200]],
            "paid": [None, paid],
            "failed": [None, failed],
            "mismatches": [None, len(mismatches)],
            "pending": [None, len(pending)],
            "status": [PaymentBatch.Status.CREATED, batch.status],
        },
        note=sha[:12],
    )
    return report


def fund_balance(fund: Fund) -> int:
    return fund.ledger.aggregate(s=Sum("amount_fen"))["s"] or 0


# ---- clawback: the tax authority lowered a figure after payment -------------------------------------------------


def _recomputed_award(candidate: Candidate, recomputed_fen: int) -> int:
    """What the candidate would have been awarded on the new figures: the same whole-元 rule, and where the round
    paid less than computed (pro-rating), the same share of the new amount."""
    whole = recomputed_fen // 100 * 100
    computed_whole = candidate.computed_fen // 100 * 100
    if candidate.awarded_fen < computed_whole and computed_whole > 0:
        return whole * candidate.awarded_fen // computed_whole // 100 * 100
    return whole


@transaction.atomic
def do_check_clawback(payment: Payment, *, acting_user):
    """Recompute a paid award on the figures as they stand now (the tax authority may have lowered the confirmed
    R&D expense). Where the new award is lower than what was paid, record the overpayment to recover; shown to the
    officials and to the enterprise. Returns the Recovery, or None when nothing is owed. Idempotent: the same
    overpayment is recorded once."""
    from kechuang.policy.models import Recovery

    payment = (
        Payment.objects.select_for_update()
        .select_related("candidate", "candidate__round", "organisation")
        .get(pk=payment.pk)
    )
    require(can_pay_round(acting_user, payment.candidate.round), PolicyCap.PAY)
    if payment.status != Payment.Status.PAID:
        raise StateError(_("只对已到账的拨付核查多拨。"))
    candidate = payment.candidate
    calc = calculate_for_organisation(
        payment.organisation, candidate.round.year, codes=[candidate.policy_code]
    )[0]
    recomputed = calc.result.amount if calc.result.eligible else 0
    due = _recomputed_award(candidate, recomputed)
    already = sum(r.overpaid_fen for r in Recovery.objects.select_for_update().filter(payment=payment))
    overpaid = payment.amount_fen - due - already
    if overpaid <= 0:
        return None
    reason = _(
        "按现有数据重新测算为 %(now)s 元（当时 %(then)s 元），应核定 %(due)s 元，已拨付 %(paid)s 元"
    ) % {
        "now": yuan_text(recomputed),
        "then": yuan_text(candidate.computed_fen),
        "due": yuan_text(due),
        "paid": yuan_text(payment.amount_fen),
    }
    if calc.result.status == NOT_COMPUTABLE or not calc.result.eligible:
        reason += _("；现不符合：%(why)s") % {"why": calc.reason}
    recovery = Recovery.objects.create(
        payment=payment,
        candidate=candidate,
        organisation=payment.organisation,
        paid_fen=payment.amount_fen,
        recomputed_fen=due,
        overpaid_fen=overpaid,
        reason=reason[:255],
        trace=calc.result.trace,
        created_by=acting_user,
    )
    record(
        "policy.recovery.create",
        recovery,
        acting_user=acting_user,
        organisation_id=payment.organisation_id,
        changes={"overpaid_fen": [None, overpaid], "recomputed_fen": [None, due]},
        note=reason[:200],
    )
    return recovery


def do_check_clawbacks(round_: Round, *, acting_user) -> list:
    """Every paid award of a round rechecked (see do_check_clawback); the overpayments found."""
    require(can_pay_round(acting_user, round_), PolicyCap.PAY)
    found = []
    for payment in Payment.objects.filter(batch__round=round_, status=Payment.Status.PAID).order_by("id"):
        recovery = do_check_clawback(payment, acting_user=acting_user)
        if recovery is not None:
            found.append(recovery)
    return found


@transaction.atomic
def do_record_recovery(recovery, *, amount_fen: int, note: str = "", acting_user):
    """Money recovered from the enterprise: booked back into the fund's ledger; the recovery is closed when the
    whole overpayment is back."""
    from kechuang.policy.models import Recovery

    recovery = (
        Recovery.objects.select_for_update().select_related("candidate__round__fund").get(pk=recovery.pk)
    )
    require(can_pay_round(acting_user, recovery.candidate.round), PolicyCap.PAY)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("追回金额应大于零。"), {"field": "amount_fen"}, status=422)
    left = recovery.overpaid_fen - recovery.recovered_fen
    if amount_fen > left:
        raise DomainError(
            ErrorCode.INVALID,
            _("追回金额不能超过尚未追回的 %(left)s 元。") % {"left": yuan_text(left)},
            {"field": "amount_fen"},
            status=422,
        )
    before = recovery.status
    recovery.recovered_fen += amount_fen
    if recovery.recovered_fen == recovery.overpaid_fen:
        recovery.status = Recovery.Status.RECOVERED
    recovery.recovered_by = acting_user
    recovery.recovered_at = timezone.now()
    recovery.note = (note or "").strip()[:255]
    recovery.save(update_fields=["recovered_fen", "status", "recovered_by", "recovered_at", "note"])
    LedgerEntry.objects.create(
        fund=recovery.candidate.round.fund,
        kind=LedgerEntry.Kind.RECOVERY,
        amount_fen=amount_fen,
        note=f"{recovery.payment.reference} {_('多拨追回')}"[:255],
        created_by=acting_user,
    )
    record(
        "policy.recovery.record",
        recovery,
        acting_user=acting_user,
        organisation_id=recovery.organisation_id,
        changes={
            "recovered_fen": [recovery.recovered_fen - amount_fen, recovery.recovered_fen],
            "status": [before, recovery.status],
        },
        note=recovery.note,
    )
    return recovery
