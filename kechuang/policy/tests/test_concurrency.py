"""Double clicks and concurrent requests on PostgreSQL: approving, creating the payment batch and reconciling
from several connections at once still pays each candidate once and writes each ledger entry once."""

import threading

import pytest
from django.conf import settings

from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.models import LedgerEntry, Payment, PaymentBatch, Round
from kechuang.policy.tests.conftest import bank_file, end_notice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks (select_for_update) are exercised on PostgreSQL",
    ),
]


def in_parallel(func, n=4):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(func())
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_approve_pay_and_reconcile_pay_once(
    firms, make_round, reviewer, chain, finance_approver, approver, payer, reconciler
):
    round_ = make_round()
    services.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    chain.to_notice(round_)
    services.do_concur_round(round_, acting_user=finance_approver)
    end_notice(round_)

    results, errors = in_parallel(
        lambda: services.do_approve_round(Round.objects.get(pk=round_.pk), acting_user=approver).status
    )
    assert not errors and set(results) == {"approved"}

    results, errors = in_parallel(
        lambda: services.do_create_payment_batch(Round.objects.get(pk=round_.pk), acting_user=payer).pk
    )
    assert not errors and len(set(results)) == 1
    assert PaymentBatch.objects.count() == 1 and Payment.objects.count() == 2

    batch = PaymentBatch.objects.get()
    content = bank_file(batch)
    results, errors = in_parallel(
        lambda: (
            services.do_reconcile_batch(
                PaymentBatch.objects.get(pk=batch.pk), content, "r.csv", acting_user=reconciler
            ).pk
        )
    )
    assert not errors and len(set(results)) == 1  # one report: the same file is read once
    assert PaymentBatch.objects.get().status == "reconciled"
    assert LedgerEntry.objects.filter(kind="payment").count() == 2
    assert Payment.objects.filter(status="paid").count() == 2
