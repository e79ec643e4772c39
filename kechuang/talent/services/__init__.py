"""Talent services: every state change a `do_*` function, atomic, audited, permission-checked.

`recognition` — apply → pre-check → catalogue or panel → notice with objections → certificate with its benefit
schedules (从高不重复 across programmes); `benefits` — yearly compliance, leaving and recovery, benefits due handed to
the policy payout workflow and settled from its payments; `bagui` — 八桂学者 posts, appointments, evaluations and
service tickets.
"""

from kechuang.talent.services.benefits import (  # noqa: F401
    BENEFIT_INDICATOR,
    BENEFIT_POLICY,
    check_compliance,
    do_add_benefits_to_round,
    do_add_instalment,
    do_publish_benefits,
    do_report_compliance,
    do_report_leaving,
    do_run_compliance,
    do_settle_benefits,
    due_instalments,
    due_rows,
)
from kechuang.talent.services.recognition import (  # noqa: F401
    apply_highest_not_twice,
    do_answer_objection,
    do_apply,
    do_certify,
    do_object,
    do_precheck,
    do_recognise,
    do_reject,
    do_set_payee_account,
    do_start_notice,
    id_key,
    person_for,
)
