"""Platforms and institutions: every state change a `do_*` function, atomic, audited, permission-checked.

`records` — platform records imported from the ministries' lists; `recognition` — new-type R&D and
technology-transfer institutions from application to recognition number, and research institutes entered into the
evaluation; `evaluations` — yearly indicator reports and the classified evaluation up to the post-funding handed to
the payout workflow.
"""

from kechuang.platforms.services.common import FIGURE_FIELDS, FIGURE_NAMES, POST_FUNDING_INDICATOR  # noqa: F401
from kechuang.platforms.services.evaluations import (  # noqa: F401
    do_evaluate,
    do_finalise_evaluations,
    do_open_expert_review,
    do_report_indicators,
    do_start_evaluation_notice,
    expert_scores,
    platform_figures,
    self_indicators,
)
from kechuang.platforms.services.recognition import (  # noqa: F401
    check_criteria,
    do_apply_institution,
    do_decide,
    do_formal_check,
    do_recognise,
    do_recommend,
    do_register_institute,
    do_start_notice,
)
from kechuang.platforms.services.records import HEADERS, do_import_platforms  # noqa: F401
