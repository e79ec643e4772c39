"""The payout chain's people from the policy tests (finance, the second approver, the reconciler) for paying prizes."""

from kechuang.policy.tests.conftest import (  # noqa: F401  (fixtures)
    departments,
    finance_approver,
    payer,
    reconciler,
    signers,
)
