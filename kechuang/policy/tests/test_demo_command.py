import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts.models import Role
from kechuang.policy.models import Payment, Round
from kechuang.testing import make_user

pytestmark = pytest.mark.django_db


def test_seed_policy_demo_builds_a_paid_round_and_open_rounds(firms, department):
    with pytest.raises(CommandError):
        call_command("seed_policy_demo")
    for name, role in (("reviewer", Role.REVIEWER), ("admin", Role.ADMIN), ("approver", Role.APPROVER)):
        make_user(name, org=department, role=role)
    call_command("seed_policy_demo")
    assert Round.objects.filter(status=Round.Status.CLOSED).count() == 1
    assert Round.objects.filter(status=Round.Status.DRAFT).count() == 2
    assert Payment.objects.filter(status="paid").count() == 2
