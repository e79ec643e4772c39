"""Benefits after recognition: the yearly compliance check, leaving early (stop and recovery), and the money path.

Money never leaves through this app. The benefits due in a year are summed per employer and written as the
registry indicator `talent_benefit_due` (source: the platform's records); the policy rule `talent_benefit` pays
exactly that figure through the ordinary payout workflow (round, reviews, 公示, approval, payment batch, bank
return). After the bank's return is read, `do_settle_benefits` marks the instalments paid against the payments.

Rules (from the catalogue, with their confidence marks):
- instalment k of a schedule falls due in its year; from the second year on it is paid only after the yearly
  check of the year before passed (still full time, social insurance and tax in Guangxi for the required months);
- a failed check stops the person's schedules (unpaid instalments cancelled); leaving early also computes the
  recovery of the kinds the rules name, pro rata to the unserved whole months of the service commitment;
- the live instalments of a schedule never hold more than its total (a manual tranche beyond it is refused).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import yuan_text
from kechuang.permissions.talent import TalentCap, can_manage, can_report_for
from kechuang.talent import benefits as calc
from kechuang.talent import catalogue
from kechuang.talent.errors import TalentError
from kechuang.talent.models import (
    BenefitSchedule,
    ComplianceReport,
    Instalment,
    RecoveryOrder,
    Status,
    TalentApplication,
)

BENEFIT_INDICATOR = "talent_benefit_due"
BENEFIT_POLICY = "talent_benefit"
# paid to the person's own account; research funding goes to the employer, which manages it
PERSON_KINDS = ("living", "settling")
EMPLOYER_PAYEE = "talent.employer"


def person_payee_key(person_id: int) -> str:
    return f"talent.person:{person_id}"


LIVE_INSTALMENT = (Instalment.State.SCHEDULED, Instalment.State.PUBLISHED, Instalment.State.PAID)
CHUNK = 900  # ids per statement (SQLite's classic limit on parameters)


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(TalentCap.MANAGE)


def check_compliance(
    rules, employed: bool, social_insurance_months: int, tax_months: int
) -> tuple[bool, str]:
    """The yearly check's outcome and its reason (every failed condition named)."""
    failed = []
    if not employed:
        failed.append(_("已不在原单位全职工作"))
    if social_insurance_months < rules.min_social_insurance_months:
        failed.append(
            _("在桂社保 %(n)s 个月，少于 %(m)s 个月")
            % {"n": social_insurance_months, "m": rules.min_social_insurance_months}
        )
    if tax_months < rules.min_tax_months:
        failed.append(
            _("在桂个税 %(n)s 个月，少于 %(m)s 个月") % {"n": tax_months, "m": rules.min_tax_months}
        )
    if failed:
        return False, "；".join(failed)
    return True, _("全职在岗，在桂社保 %(s)s 个月、个税 %(t)s 个月") % {
        "s": social_insurance_months,
        "t": tax_months,
    }


@transaction.atomic
def do_report_compliance(
    app: TalentApplication,
    *,
    acting_user,
    year: int,
    employed: bool,
    social_insurance_months: int,
    tax_months: int,
) -> ComplianceReport:
    """The employer's yearly report for a recognised person (correctable until the check has run)."""
    if not can_report_for(acting_user, app.employer):
        raise PermissionDenied(TalentCap.APPLY)
    if app.status != Status.RECOGNISED:
        raise StateError(_("只有已认定且在岗的人才需要年度核查。"))
    for value, field in ((social_insurance_months, "social_insurance_months"), (tax_months, "tax_months")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
            raise DomainError(ErrorCode.INVALID, _("月数应在 0 至 12 之间。"), {"field": field}, 422)
    if app.recognised_on and year < app.recognised_on.year:
        raise DomainError(ErrorCode.INVALID, _("认定之前的年度无需核查。"), {"field": "year"}, 422)
    report = ComplianceReport.objects.filter(application=app, year=year).first()
    if report is not None and report.outcome != ComplianceReport.Outcome.PENDING:
        raise StateError(_("%(year)s 年度已核查完毕，不能再修改。") % {"year": year})
    values = {
        "employed": bool(employed),
        "social_insurance_months": social_insurance_months,
        "tax_months": tax_months,
        "reported_by": acting_user,
    }
    if report is None:
        report = ComplianceReport.objects.create(application=app, year=year, **values)
    else:
        for k, v in values.items():
            setattr(report, k, v)
        report.save(update_fields=list(values))
    record(
        "talent.compliance.report",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"year": year, "employed": bool(employed), "si": social_insurance_months, "tax": tax_months},
    )
    return report


def _stop_schedules(app_ids, *, after_year: int | None, note: str) -> int:
    """Cancel the unpaid instalments of the applications' active schedules (those falling due after `after_year`, or
    all unpaid ones) and mark the schedules stopped. Paid and published instalments stay as they are."""
    schedules = BenefitSchedule.objects.filter(application_id__in=app_ids, state=BenefitSchedule.State.ACTIVE)
    unpaid = Instalment.objects.filter(schedule__in=schedules, state=Instalment.State.SCHEDULED)
    if after_year is not None:
        unpaid = unpaid.filter(year__gt=after_year)
    cancelled = unpaid.update(state=Instalment.State.CANCELLED, note=note[:300])
    schedules.update(state=BenefitSchedule.State.STOPPED, reason=note[:300])
    return cancelled


@transaction.atomic
def do_run_compliance(year: int, *, acting_user, today: dt.date | None = None) -> dict:
    """The yearly check over every recognised person: each pending report gets its outcome; a failed one stops the
    person's schedules from the next year on; a person without a report is listed (their next payments wait)."""
    _require_manager(acting_user)
    today = today or timezone.localdate()
    rules = catalogue.in_force(today)
    recognised = TalentApplication.objects.filter(status=Status.RECOGNISED, recognised_on__year__lte=year)
    reports = list(
        ComplianceReport.objects.select_for_update().filter(
            year=year, outcome=ComplianceReport.Outcome.PENDING, application__in=recognised
        )
    )
    passed, failed = [], []
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    verdicts: dict[tuple[bool, int, int], tuple[bool, str]] = {}  # the same figures give the same verdict
    for report in reports:
        key = (report.employed, report.social_insurance_months, report.tax_months)
        if key not in verdicts:
            verdicts[key] = check_compliance(rules, *key)
        ok, reason = verdicts[key]
        outcome = ComplianceReport.Outcome.PASSED if ok else ComplianceReport.Outcome.FAILED
        groups[(outcome, reason[:300])].append(report.pk)
        (passed if ok else failed).append(report)
    for (outcome, reason), ids in groups.items():
        for start in range(0, len(ids), CHUNK):
            ComplianceReport.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                outcome=outcome, reason=reason
            )
    failed_ids = [r.application_id for r in failed]
    cancelled = 0
    for start in range(0, len(failed_ids), CHUNK):
        cancelled += _stop_schedules(
            failed_ids[start : start + CHUNK],
            after_year=year,
            note=_("%(year)s 年度核查不合规，停止发放") % {"year": year},
        )
    reported = ComplianceReport.objects.filter(year=year).values("application_id")
    missing = recognised.exclude(pk__in=reported).count()
    summary = {
        "year": year,
        "passed": len(passed),
        "failed": len(failed),
        "missing": missing,
        "cancelled": cancelled,
    }
    record(
        "talent.compliance.run",
        ("talent.year", str(year), str(year)),
        acting_user=acting_user,
        changes=summary,
    )
    return summary


@transaction.atomic
def do_report_leaving(app: TalentApplication, *, acting_user, left_on: dt.date) -> RecoveryOrder | None:
    """Leaving (the employer or Guangxi) before the service commitment: payments stop; the kinds the rules name are
    recovered pro rata to the unserved whole months (explained step by step)."""
    if not can_report_for(acting_user, app.employer):
        raise PermissionDenied(TalentCap.APPLY)
    app = TalentApplication.objects.select_for_update().get(pk=app.pk)
    if app.status != Status.RECOGNISED:
        raise StateError(_("只有已认定的人才才能登记离职。"))
    if left_on < app.contract_start or left_on > timezone.localdate() + dt.timedelta(days=92):
        raise DomainError(ErrorCode.INVALID, _("离职日期不在合理范围内。"), {"field": "left_on"}, 422)
    rules = catalogue.in_force(app.recognised_on or left_on)
    _stop_schedules([app.pk], after_year=None, note=_("%(date)s 离职（离桂），停止发放") % {"date": left_on})
    app.status, app.left_on = Status.LEFT, left_on
    app.save(update_fields=["status", "left_on"])
    paid = (
        Instalment.objects.filter(
            schedule__application=app,
            schedule__kind__in=rules.recovery_kinds,
            state__in=(Instalment.State.PAID, Instalment.State.PUBLISHED),
        ).aggregate(s=Sum("amount_fen"))["s"]
        or 0
    )
    result = calc.recovery(paid, app.contract_start, left_on, rules.service_years)
    order = None
    if result.amount_fen > 0:
        explanation = _(
            "服务期 %(years)s 年（%(committed)s 个月），自 %(start)s 起已服务 %(served)s 个月，未服务 %(unserved)s 个月；"
            "已发放安家费 %(paid)s 元 × %(unserved)s ÷ %(committed)s = %(amount)s 元（向下取整到分）。"
            "依据：%(doc)s，规则版本 %(v)s（可信度 I，待核实）。"
        ) % {
            "years": rules.service_years,
            "committed": result.committed_months,
            "start": app.contract_start,
            "served": result.served_months,
            "unserved": result.unserved_months,
            "paid": yuan_text(result.paid_fen),
            "amount": yuan_text(result.amount_fen),
            "doc": rules.document,
            "v": rules.version,
        }
        order = RecoveryOrder.objects.create(
            application=app, employer=app.employer, amount_fen=result.amount_fen, explanation=explanation
        )
    record(
        "talent.leave",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"left_on": str(left_on), "recovery_fen": result.amount_fen, "paid_fen": paid},
    )
    return order


@transaction.atomic
def do_add_instalment(schedule: BenefitSchedule, *, acting_user, year: int, amount_fen: int) -> Instalment:
    """A further tranche on a schedule (e.g. research funding released as work progresses), refused when the
    schedule's live instalments would hold more than its total."""
    _require_manager(acting_user)
    schedule = BenefitSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.state != BenefitSchedule.State.ACTIVE:
        raise StateError(_("该待遇已停止或不享受，不能再安排。"))
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("金额应为正数。"), {"field": "amount_fen"}, 422)
    held = list(schedule.instalments.filter(state__in=LIVE_INSTALMENT).values_list("amount_fen", flat=True))
    room = calc.remaining_capacity(schedule.total_fen, held)
    if amount_fen > room:
        raise DomainError(
            TalentError.BEYOND_SCHEDULE,
            _("超出待遇总额：总额 %(total)s 元，已安排 %(held)s 元，最多还能安排 %(room)s 元。")
            % {
                "total": yuan_text(schedule.total_fen),
                "held": yuan_text(sum(held)),
                "room": yuan_text(max(room, 0)),
            },
            {"room_fen": max(room, 0)},
            status=422,
        )
    index = (schedule.instalments.order_by("-index").values_list("index", flat=True).first() or 0) + 1
    inst = Instalment.objects.create(
        schedule=schedule, index=index, year=year, amount_fen=amount_fen, note=_("追加拨付")
    )
    record(
        "talent.instalment.add",
        schedule,
        acting_user=acting_user,
        organisation_id=schedule.employer_id,
        changes={"year": year, "amount_fen": amount_fen},
    )
    return inst


def due_instalments(year: int):
    """Instalments that may be paid in `year`: falling due by then, unpaid, on an active schedule. A recognised
    talent's instalments after the recognition year wait for the yearly check of the year before to pass; a 八桂学者's
    are due while the contract runs (a failed evaluation stops the schedule itself)."""
    from django.db.models.functions import ExtractYear

    from kechuang.talent.models import BaguiAppointment

    talent = Q(schedule__application__status=Status.RECOGNISED) & (
        Q(year=ExtractYear("schedule__application__recognised_on"))
        | Q(
            schedule__application__compliance__year=year - 1,
            schedule__application__compliance__outcome=ComplianceReport.Outcome.PASSED,
        )
    )
    bagui = Q(schedule__appointment__state=BaguiAppointment.State.CONTRACTED)
    return (
        Instalment.objects.filter(
            state=Instalment.State.SCHEDULED, year__lte=year, schedule__state=BenefitSchedule.State.ACTIVE
        )
        .filter(talent | bagui)
        .distinct()
    )


def due_rows(year: int) -> list[tuple[int, int]]:
    """(instalment id, employer id) of `due_instalments(year)`, computed with two plain queries and a set instead of
    a join over the yearly checks (the same rule; tests compare the two)."""
    from kechuang.talent.models import BaguiAppointment

    passed = set(
        ComplianceReport.objects.filter(year=year - 1, outcome=ComplianceReport.Outcome.PASSED).values_list(
            "application_id", flat=True
        )
    )
    base = Instalment.objects.filter(
        state=Instalment.State.SCHEDULED, year__lte=year, schedule__state=BenefitSchedule.State.ACTIVE
    )
    rows = [
        (pk, employer)
        for pk, employer, due_year, app_id, recognised_on in base.filter(
            schedule__application__status=Status.RECOGNISED
        ).values_list(
            "pk",
            "schedule__employer_id",
            "year",
            "schedule__application_id",
            "schedule__application__recognised_on",
        )
        if due_year == recognised_on.year or app_id in passed
    ]
    rows += list(
        base.filter(schedule__appointment__state=BaguiAppointment.State.CONTRACTED).values_list(
            "pk", "schedule__employer_id"
        )
    )
    return rows


@transaction.atomic
def do_publish_benefits(year: int, *, acting_user) -> dict:
    """Hand the benefits due in `year` to the payout workflow: per employer, the sum of its due instalments becomes
    the registry figure `talent_benefit_due` for the year (a round of the talent programme then pays it). An employer
    whose figure for the year is already on a round's list or paid is skipped with the reason; its instalments wait
    for the next year's round."""
    from kechuang.policy.services import already_taken
    from kechuang.registry.services import do_record_platform_figures

    _require_manager(acting_user)
    key = f"{BENEFIT_POLICY}:{year}"
    by_employer: dict[int, list[int]] = defaultdict(list)
    for pk, employer_id in due_rows(year):
        by_employer[employer_id].append(pk)
    # the payout workflow's own rule: paid, or on a round's active list (the same the rounds apply)
    employers = list(by_employer)
    taken = {
        org_id
        for start in range(0, len(employers), CHUNK)
        for org_id, _key in already_taken(employers[start : start + CHUNK], [key], None)
    }
    skipped = {e: ids for e, ids in by_employer.items() if e in taken}
    publish = [pk for e, ids in by_employer.items() if e not in taken for pk in ids]
    for start in range(0, len(publish), CHUNK):
        Instalment.objects.filter(pk__in=publish[start : start + CHUNK]).update(
            state=Instalment.State.PUBLISHED, published_year=year
        )
    totals: dict[int, int] = defaultdict(int)
    for employer_id, amount in Instalment.objects.filter(
        published_year=year, state=Instalment.State.PUBLISHED
    ).values_list("schedule__employer_id", "amount_fen"):
        if employer_id not in taken:
            totals[employer_id] += amount
    written = do_record_platform_figures(
        BENEFIT_INDICATOR, year, dict(totals), reference=f"高层次人才待遇应发（{year}）"
    )
    summary = {
        "year": year,
        "employers": len(totals),
        "instalments": len(publish),
        "total_fen": sum(totals.values()),
        "written": written,
        "skipped_employers": len(skipped),
    }
    record(
        "talent.benefits.publish",
        ("talent.year", str(year), str(year)),
        acting_user=acting_user,
        changes=summary,
    )
    return summary


@transaction.atomic
def do_settle_benefits(year: int, *, acting_user) -> dict:
    """Mark instalments paid from the payout workflow's paid payments for `year`: each employer's payment must equal
    the sum of its instalments published for the year, or nothing of that employer is marked (the mismatch is
    reported, never guessed)."""
    from kechuang.policy.models import Payment

    _require_manager(acting_user)
    payments = Payment.objects.filter(
        dedupe_key=f"{BENEFIT_POLICY}:{year}", status=Payment.Status.PAID
    ).select_related("organisation")
    settled, mismatches = 0, []
    for payment in payments:
        mine = Instalment.objects.select_for_update().filter(
            published_year=year,
            state=Instalment.State.PUBLISHED,
            schedule__employer_id=payment.organisation_id,
        )
        # a person's payment settles that person's living subsidy and settling-in allowance, the employer's its
        # research funding (a payment to the employer for everything, as before person payees, settles all)
        if payment.payee_key.startswith("talent.person:"):
            person_id = int(payment.payee_key.rsplit(":", 1)[1])
            mine = mine.filter(schedule__person_id=person_id, schedule__kind__in=PERSON_KINDS)
        elif payment.payee_key == EMPLOYER_PAYEE:
            mine = mine.exclude(schedule__kind__in=PERSON_KINDS)
        insts = list(mine)
        if not insts:
            continue
        total = sum(i.amount_fen for i in insts)
        if total != payment.amount_fen:
            mismatches.append(
                {
                    "employer": payment.payee_name or payment.organisation.name,
                    "paid_fen": payment.amount_fen,
                    "published_fen": total,
                    "reference": payment.reference,
                }
            )
            continue
        Instalment.objects.filter(pk__in=[i.pk for i in insts]).update(
            state=Instalment.State.PAID, payment=payment
        )
        settled += len(insts)
    done = BenefitSchedule.objects.filter(state=BenefitSchedule.State.ACTIVE).exclude(
        instalments__state__in=(Instalment.State.SCHEDULED, Instalment.State.PUBLISHED)
    )
    done.update(state=BenefitSchedule.State.DONE)
    summary = {"year": year, "settled": settled, "mismatches": mismatches}
    record(
        "talent.benefits.settle",
        ("talent.year", str(year), str(year)),
        acting_user=acting_user,
        changes=summary,
    )
    return summary


@transaction.atomic
def do_add_benefits_to_round(year: int, round_, *, acting_user) -> dict:
    """Put the benefits handed over for `year` on a draft round of the talent programme (依申请): per employer, one
    candidate per person for the living subsidy and the settling-in allowance — paid to the person's own account,
    with the name and the masked ID number on the payment line — and one for the employer's research funding. An
    employer one of whose people has no account recorded is left out with the names (nothing of it is added); an
    employer already on a round for the year is skipped."""
    from kechuang.policy.models import Candidate
    from kechuang.policy.payees import ENDED, PersonLine, do_add_person_candidates
    from kechuang.registry.models import Organisation

    _require_manager(acting_user)
    listed = set(
        Candidate.objects.filter(dedupe_key=f"{BENEFIT_POLICY}:{year}")
        .exclude(status__in=ENDED)
        .values_list("organisation_id", flat=True)
    )
    rows = (
        Instalment.objects.filter(published_year=year, state=Instalment.State.PUBLISHED)
        .exclude(schedule__employer_id__in=listed)
        .values_list("schedule__employer_id", "schedule__person_id", "schedule__kind", "amount_fen")
    )
    by_employer: dict[int, dict] = defaultdict(lambda: {"people": defaultdict(int), "employer": 0})
    for employer_id, person_id, kind, amount in rows:
        entry = by_employer[employer_id]
        if kind in PERSON_KINDS:
            entry["people"][person_id] += amount
        else:
            entry["employer"] += amount
    from kechuang.talent.models import Person

    people = Person.objects.in_bulk({p for e in by_employer.values() for p in e["people"]})
    employers = Organisation.objects.in_bulk(list(by_employer))
    added, missing = 0, []
    decided = _("%(year)s 年度高层次人才待遇（认定证书与年度核查）") % {"year": year}
    for employer_id in sorted(by_employer):
        entry = by_employer[employer_id]
        no_account = [people[p].name for p in entry["people"] if not people[p].bank_account]
        if no_account:
            missing.append({"employer": employers[employer_id].name, "people": sorted(no_account)})
            continue
        lines = [
            PersonLine(
                key=person_payee_key(p),
                name=people[p].name,
                amount_fen=amount,
                id_masked=people[p].id_masked,
                bank_name=people[p].bank_name,
                account=people[p].bank_account,
                note=_("生活补贴、安家费（本人）"),
            )
            for p, amount in sorted(entry["people"].items())
        ]
        if entry["employer"]:
            lines.append(
                PersonLine(
                    key=EMPLOYER_PAYEE,
                    name=employers[employer_id].name,
                    amount_fen=entry["employer"],
                    note=_("科研经费（用人单位）"),
                    person=False,
                )
            )
        added += len(
            do_add_person_candidates(
                round_,
                employers[employer_id],
                BENEFIT_POLICY,
                lines,
                decided=decided,
                acting_user=acting_user,
            )
        )
    summary = {"year": year, "round": round_.pk, "candidates": added, "missing_accounts": missing}
    record(
        "talent.benefits.round",
        ("talent.year", str(year), str(year)),
        acting_user=acting_user,
        changes={"round": round_.pk, "candidates": added, "missing": len(missing)},
    )
    return summary
