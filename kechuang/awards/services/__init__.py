"""Award services: every state change a `do_*` function, atomic, audited, permission-checked.

The cycle: open a call (with its review process and nominator quotas) → nominate → formal check → expert review
and committee vote on `kechuang.review` → propose grades within the caps → public notice in working days with
objections from anyone → approval by the regional government → certificates and prizes. National awards follow:
recommendation, results, the 1:1 matching and the defence-stage reward.

One module per topic; everything is importable from `kechuang.awards.services` as before.
"""

from kechuang.awards.services.calls import do_open_call
from kechuang.awards.services.common import (
    MAX_CONTRIBUTORS,
    PATENT_GROUNDS,
    RUBRIC_BY_KIND,
    _require_manager,
    person_key,
    title_key,
)
from kechuang.awards.services.decisions import (
    _split_prize,
    do_answer_objection,
    do_approve,
    do_object,
    do_propose_grade,
    do_respond_objection,
    do_start_notice,
    grade_usage,
)
from kechuang.awards.services.national import (
    NATIONAL_INDICATOR,
    NATIONAL_KIND_FOR,
    NATIONAL_NEXT,
    _require_national_manager,
    do_pay_national_rewards,
    do_recommend_national,
    do_record_national_result,
    do_register_national,
    national_bases,
    national_quota_rows,
    national_reward_rates,
    region_used,
)
from kechuang.awards.services.nominations import (
    _check_limits,
    _check_not_awarded,
    _check_patent,
    _check_people_once_a_year,
    _online_stage,
    can_rebut,
    do_formal_check,
    do_nominate,
    do_open_rebuttal,
    do_submit_rebuttal,
)
from kechuang.awards.services.prizes import (
    DECIDED_POLICIES,
    PRIZE_INDICATOR,
    PRIZE_POLICY,
    _check_round,
    _publish,
    do_pay_prizes,
    payout_rows,
    prize_payees,
)

__all__ = [
    "DECIDED_POLICIES",
    "MAX_CONTRIBUTORS",
    "NATIONAL_INDICATOR",
    "NATIONAL_KIND_FOR",
    "NATIONAL_NEXT",
    "PATENT_GROUNDS",
    "PRIZE_INDICATOR",
    "PRIZE_POLICY",
    "RUBRIC_BY_KIND",
    "_check_limits",
    "_check_not_awarded",
    "_check_patent",
    "_check_people_once_a_year",
    "_check_round",
    "_online_stage",
    "_publish",
    "_require_manager",
    "_require_national_manager",
    "_split_prize",
    "can_rebut",
    "do_answer_objection",
    "do_approve",
    "do_formal_check",
    "do_nominate",
    "do_object",
    "do_open_call",
    "do_open_rebuttal",
    "do_pay_national_rewards",
    "do_pay_prizes",
    "do_propose_grade",
    "do_record_national_result",
    "do_recommend_national",
    "do_register_national",
    "do_respond_objection",
    "do_start_notice",
    "do_submit_rebuttal",
    "grade_usage",
    "national_bases",
    "national_quota_rows",
    "national_reward_rates",
    "payout_rows",
    "person_key",
    "prize_payees",
    "region_used",
    "title_key",
]
