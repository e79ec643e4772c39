"""Screening (免申即享): every policy over the whole registry, in chunks, and the candidates it proposes."""

from __future__ import annotations

import itertools
import time

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.money import yuan_text
from kechuang.permissions import require_cap
from kechuang.permissions.policy import PolicyCap
from kechuang.policy import inputs as inp
from kechuang.policy.engine import ELIGIBLE, NOT_COMPUTABLE
from kechuang.policy.engine.allocation import best_in_group
from kechuang.policy.explain import label, reason_text
from kechuang.policy.models import Candidate, Payment, Round, ScreeningResult, ScreeningRun
from kechuang.policy.services.calculator import ACTIVE_CANDIDATE
from kechuang.policy.services.common import dedupe_key
from kechuang.policy.services.versions import current_versions, get_policy

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


def already_taken(org_ids, keys, round_) -> dict[tuple[int, str], str]:
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
    from kechuang.policy.payees import PERSON_PAYEE_POLICIES

    offers: dict[int, dict[str, tuple]] = {}
    for code, (version, policy, batch, pdata) in batches.items():
        # benefits owed to people go on a round person by person (policy.payees), never in one sum to the employer
        if policy.kind != "payout" or code not in round_.policy_codes or code in PERSON_PAYEE_POLICIES:
            continue
        for i in np.flatnonzero((batch.status == ELIGIBLE) & (batch.amount > 0)).tolist():
            offers.setdefault(i, {})[code] = (int(batch.amount[i]), version, policy, pdata)
    org_ids = [int(pop.ids[i]) for i in offers]
    keys = {dedupe_key(p, round_.year) for _, (_, p, _, _) in batches.items()}
    taken = {}
    for start in range(0, len(org_ids), 5000):
        taken.update(already_taken(org_ids[start : start + 5000], keys, round_))
    objs = []
    for i, org_offers in offers.items():
        org_id = int(pop.ids[i])
        for cand in _choose(org_offers, round_.year):
            amount, version, policy, pdata, status, reason = cand
            key = dedupe_key(policy, round_.year)
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
