import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts.models import Role
from kechuang.policy.models import Payment, Programme, Round
from kechuang.testing import make_user

pytestmark = pytest.mark.django_db


def test_seed_policy_demo_builds_a_paid_round_and_open_rounds(firms, department):
    with pytest.raises(CommandError):
        call_command("seed_policy_demo")
    for name, role in (("reviewer", Role.REVIEWER), ("admin", Role.ADMIN), ("approver", Role.APPROVER)):
        make_user(name, org=department, role=role)
    call_command("seed_policy_demo")
    assert Round.objects.filter(status=Round.Status.CLOSED).count() == 1
    assert Round.objects.filter(status=Round.Status.DRAFT).count() == 3
    assert Payment.objects.filter(status="paid").count() == 2
    # each programme has its own fund; the high-tech reward is a programme of its own
    hightech = Programme.objects.get(policy_codes=["hightech_new_reward"])
    assert hightech.funds.count() == 1 and hightech.department_id == department.pk
    closed = Round.objects.get(status=Round.Status.CLOSED)
    assert (
        closed.signoffs.count() == 5 and closed.finance_concurred_by.organisation.department_type == "finance"
    )
    assert (
        len(
            {closed.approved_by_id, closed.payment_batch.created_by_id, closed.payment_batch.reconciled_by_id}
        )
        == 3
    )
