"""下达 to city and county finance, payment files to enterprises, and bank return files."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import require
from kechuang.permissions.policy import PolicyCap, can_pay_round
from kechuang.policy import bankfile
from kechuang.policy.models import BankReturn, Candidate, Fund, LedgerEntry, Payment, PaymentBatch, Round
from kechuang.policy.services.common import forbid, lock_round

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
    round_ = lock_round(round_)
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
    round_ = lock_round(round_)
    existing = PaymentBatch.objects.filter(round=round_).first()
    if existing is not None:
        return existing
    if round_.status != Round.Status.APPROVED:
        raise StateError(_("批次批准后才能生成拨付文件。"))
    if acting_user.pk == round_.approved_by_id:
        raise forbid(_("批准人不能生成本批次的拨付文件（批准、拨付、对账须由三人分别完成）。"))
    batch = PaymentBatch.objects.create(
        round=round_, reference=f"KC{round_.year}-{round_.pk:05d}", created_by=acting_user
    )
    total, skipped, n = 0, 0, 0
    approved = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(round=round_, status=Candidate.Status.APPROVED)
        .order_by("id")
    )
    for candidate in approved:
        if Payment.objects.filter(
            organisation_id=candidate.organisation_id,
            dedupe_key=candidate.dedupe_key,
            payee_key=candidate.payee_key,
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
            # a person paid directly (kechuang.policy.payees) is paid to the person's own account
            payee_name=(candidate.payee_name or candidate.organisation.name)[:200],
            bank_name=(candidate.payee_bank_name or candidate.organisation.bank_name or "")[:100],
            account=candidate.payee_account or payee_account(candidate.organisation),
            payee_key=candidate.payee_key,
            payee_id_masked=candidate.payee_id_masked,
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
    batch = (
        PaymentBatch.objects.select_for_update(of=("self",))
        .select_related("round", "round__fund")
        .get(pk=batch.pk)
    )
    require(can_pay_round(acting_user, batch.round), PolicyCap.PAY)
    if acting_user.pk in (batch.round.approved_by_id, batch.created_by_id):
        raise forbid(_("批准人和生成拨付文件的人不能对账（批准、拨付、对账须由三人分别完成）。"))
    sha = hashlib.sha256(content).hexdigest()
    existing = BankReturn.objects.filter(batch=batch, sha256=sha).first()
    if existing is not None:
        return existing
    rows = bankfile.read_bank_return(content, file_name)
    fund = Fund.objects.select_for_update().get(pk=batch.round.fund_id)
    balance = fund.ledger.aggregate(s=Sum("amount_fen"))["s"] or 0
    payments = {
        p.reference: p
        for p in batch.payments.select_for_update(of=("self",)).select_related("candidate").order_by("id")
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
