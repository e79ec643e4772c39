"""Policies, the calculator, screening and the payout workflow.

Entry points for other modules (e.g. patent-pledge subsidies):

* `evaluate_policy(policy_code, inputs, year=...)` — evaluate one policy for one set of inputs, with the trace;
* `calculate_for_organisation(org, year)` — every policy for one organisation, from the registry;
* `do_add_candidate(round, organisation, policy_code, *, acting_user, ...)` — put an organisation on a round's
  candidate list (computed by the same engine, subject to 从优从高不重复 and the no-double-pay rules).

Every state change here is a `do_*` function: atomic, permission-checked, audited in the same transaction.
One module per topic; the public functions are re-exported here."""

from kechuang.policy.models import DEFAULT_NOTICE_DAYS, JOINT_REVIEW_DEPARTMENTS
from kechuang.policy.services.approval import (
    do_approve_round,
    do_concur_round,
    reviewers_of,
)
from kechuang.policy.services.calculator import (
    ACTIVE_CANDIDATE,
    Calculation,
    Standing,
    calculate_for_organisation,
    difference_reasons,
    evaluate_policy,
    standings_for,
)
from kechuang.policy.services.candidates import (
    do_add_candidate,
    do_close_applications,
)
from kechuang.policy.services.clawback import (
    do_check_clawback,
    do_check_clawbacks,
    do_record_recovery,
    fund_balance,
)
from kechuang.policy.services.common import (
    CANCELLABLE,
    MAX_YEAR,
    MIN_YEAR,
    checked_year,
    dedupe_key,
    forbid,
    lock_round,
    positive_fen,
)
from kechuang.policy.services.decided import (
    DECIDED_ELSEWHERE,
    Decided,
    do_add_decided_candidates,
    evaluate_decided,
)
from kechuang.policy.services.notice import (
    do_raise_objection,
    do_raise_public_objection,
    do_record_letter,
    do_resolve_objection,
    notice_period,
)
from kechuang.policy.services.payout import (
    TRANSFERABLE,
    do_create_payment_batch,
    do_reconcile_batch,
    do_transfer_round,
    local_shares,
    payee_account,
    read_upload,
    transfer_rows,
)
from kechuang.policy.services.reviews import (
    RD_GAP_FLAG_BP,
    RD_SOURCES,
    RD_STATISTICS_INDICATOR,
    RD_TAX_INDICATOR,
    do_city_review,
    do_city_review_all,
    do_complete_joint_review,
    do_county_review,
    do_county_review_all,
    do_joint_signoff,
    do_start_joint_review,
    flag_text,
    missing_signoffs,
    rd_gap_flags,
)
from kechuang.policy.services.rounds import (
    allocate,
    committed_budget,
    do_cancel_round,
    do_create_fund,
    do_create_programme,
    do_create_programme_with_fund,
    do_create_round,
    do_screen_round,
)
from kechuang.policy.services.screening import (
    already_taken,
    do_start_screening,
    release_failed_screening,
    run_screening,
)
from kechuang.policy.services.versions import (
    all_overrides,
    current_versions,
    do_schedule_parameter_change,
    get_current_policy,
    get_policy,
    overrides_for,
    sync_policy_versions,
)

__all__ = [
    "ACTIVE_CANDIDATE",
    "CANCELLABLE",
    "Calculation",
    "DECIDED_ELSEWHERE",
    "Decided",
    "DEFAULT_NOTICE_DAYS",
    "JOINT_REVIEW_DEPARTMENTS",
    "MAX_YEAR",
    "MIN_YEAR",
    "RD_GAP_FLAG_BP",
    "RD_SOURCES",
    "RD_STATISTICS_INDICATOR",
    "RD_TAX_INDICATOR",
    "Standing",
    "TRANSFERABLE",
    "all_overrides",
    "allocate",
    "already_taken",
    "calculate_for_organisation",
    "checked_year",
    "committed_budget",
    "current_versions",
    "dedupe_key",
    "difference_reasons",
    "do_add_candidate",
    "do_add_decided_candidates",
    "do_approve_round",
    "do_cancel_round",
    "do_check_clawback",
    "do_check_clawbacks",
    "do_city_review",
    "do_city_review_all",
    "do_close_applications",
    "do_complete_joint_review",
    "do_concur_round",
    "do_county_review",
    "do_county_review_all",
    "do_create_fund",
    "do_create_payment_batch",
    "do_create_programme",
    "do_create_programme_with_fund",
    "do_create_round",
    "do_joint_signoff",
    "do_raise_objection",
    "do_raise_public_objection",
    "do_reconcile_batch",
    "do_record_letter",
    "do_record_recovery",
    "do_resolve_objection",
    "do_schedule_parameter_change",
    "do_screen_round",
    "do_start_joint_review",
    "do_start_screening",
    "do_transfer_round",
    "evaluate_decided",
    "evaluate_policy",
    "flag_text",
    "forbid",
    "fund_balance",
    "get_current_policy",
    "get_policy",
    "local_shares",
    "lock_round",
    "missing_signoffs",
    "notice_period",
    "overrides_for",
    "payee_account",
    "positive_fen",
    "rd_gap_flags",
    "read_upload",
    "release_failed_screening",
    "reviewers_of",
    "run_screening",
    "standings_for",
    "sync_policy_versions",
    "transfer_rows",
]
