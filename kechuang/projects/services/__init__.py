"""Programme project services: every state change a `do_*` function, atomic, audited, permission-checked.

The path so far: open a call with topics and limits → a unit drafts an application (team, targets, budget lines in
fen checked against the share rules) → signs the integrity pledge → submits before the deadline within the limits
→ the recommending unit endorses → the department's formal check records its reasons (and 查重 hits).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.projects import can_apply, can_edit_application, can_endorse, can_manage_call
from kechuang.projects import rules
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationStatus,
    BudgetLine,
    CallStatus,
    ProgrammeLine,
    ProjectCall,
    ProjectType,
    Topic,
)
from kechuang.registry.models import OrganisationKind

MAX_FEN = 10**15
MAX_TEAM = 50


def person_key(name: str, id_digits: str = "") -> str:
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(ch for ch in text if ch.isalnum()).casefold() + "|" + (id_digits or "")[-6:]


def _fen(value, label) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FEN:
        raise DomainError(ErrorCode.INVALID, _("%(label)s金额无效。") % {"label": label}, status=422)
    return value


def check_budget(line_kind: str, lines: dict[str, int], total_fen: int) -> None:
    """Budget lines in fen must sum exactly to the fiscal total and keep the programme line's share rules."""
    known = rules.categories()
    _fen(total_fen, _("申请财政资金"))
    for category, amount in lines.items():
        if category not in known:
            raise DomainError(
                ProjectError.BUDGET_CATEGORY, _("预算科目无效：%(c)s") % {"c": category}, status=422
            )
        _fen(amount, known[category])
    if sum(lines.values()) != total_fen:
        raise DomainError(
            ProjectError.BUDGET_SUM,
            _("预算科目合计 %(sum)s 分，与申请财政资金 %(total)s 分不一致。")
            % {"sum": sum(lines.values()), "total": total_fen},
            {"sum_fen": sum(lines.values()), "total_fen": total_fen},
            status=422,
        )
    for category, rule in rules.line_rules(line_kind)["shares"].items():
        amount = lines.get(category, 0)
        if amount * 100 > rule["max_percent"] * total_fen:
            raise DomainError(
                ProjectError.BUDGET_SHARE,
                _("%(name)s不得超过申请财政资金的 %(p)s%%。")
                % {"name": known[category], "p": rule["max_percent"]},
                {
                    "category": category,
                    "max_percent": rule["max_percent"],
                    "unverified": rule.get("unverified"),
                },
                status=422,
            )


def split_fen(total_fen: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a total in fen by integer weights (largest remainder): the parts always sum exactly to the total."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise DomainError(ErrorCode.INVALID, _("权重无效。"), status=422)
    parts = {k: total_fen * w // weight_sum for k, w in weights.items()}
    rest = total_fen - sum(parts.values())
    by_remainder = sorted(weights, key=lambda k: (-(total_fen * weights[k] % weight_sum), k))
    for k in by_remainder[:rest]:
        parts[k] += 1
    return parts


def _require_manager(user, call) -> None:
    if user is not None and not can_manage_call(user, call):
        raise PermissionDenied("projects.call:manage")


@transaction.atomic
def do_create_line(*, acting_user, kind: str, name: str, department) -> ProgrammeLine:
    line = ProgrammeLine(kind=kind, name=name, department=department)
    if acting_user is not None and not can_manage_call(acting_user, ProjectCall(line=line)):
        raise PermissionDenied("projects.call:manage")
    line.save()
    record("projects.line.create", line, acting_user=acting_user, changes={"kind": kind})
    return line


@transaction.atomic
def do_open_call(
    *,
    acting_user,
    line: ProgrammeLine,
    year: int,
    name: str,
    deadline: dt.date,
    topics: list[dict],
    co_funding_percent: int = 0,
    max_per_pi: int = 1,
    max_per_unit: int = 5,
    eligible_kinds: list[str] = (),
    required_documents: list[str] = (),
) -> ProjectCall:
    """A yearly call guide with its topics ({"code", "title", "budget_fen"}), limits, the kinds of unit it is for
    (empty: any) and the documents every application must attach."""
    from kechuang.projects.models import DocumentKind

    if any(k not in OrganisationKind.values for k in eligible_kinds) or any(
        d not in DocumentKind.values for d in required_documents
    ):
        raise DomainError(ErrorCode.INVALID, _("申报单位类型或必备附件无效。"), status=422)
    call = ProjectCall(
        line=line,
        year=year,
        name=name,
        deadline=deadline,
        co_funding_percent=co_funding_percent,
        max_per_pi=max_per_pi,
        max_per_unit=max_per_unit,
        eligible_kinds=list(dict.fromkeys(eligible_kinds)),
        required_documents=list(dict.fromkeys(required_documents)),
    )
    _require_manager(acting_user, call)
    if not 2000 <= year <= 2100:
        raise DomainError(ErrorCode.INVALID, _("年度超出范围。"), status=422)
    if not 0 <= co_funding_percent <= 1000 or not 1 <= max_per_pi <= 20 or not 1 <= max_per_unit <= 1000:
        raise DomainError(ErrorCode.INVALID, _("申报限制超出范围。"), status=422)
    if not topics:
        raise DomainError(ErrorCode.INVALID, _("请至少设置一个指南方向。"), status=422)
    call.save()
    for t in topics:
        Topic.objects.create(
            call=call, code=t["code"], title=t["title"], budget_fen=_fen(t["budget_fen"], _("指南方向"))
        )
    record("projects.call.open", call, acting_user=acting_user, changes={"topics": len(topics)})
    return call


def _check_open(call) -> None:
    if call.status != CallStatus.OPEN or timezone.localdate() > call.deadline:
        raise DomainError(ProjectError.CALL_CLOSED, _("申报已截止。"), status=409)


@transaction.atomic
def do_create_application(
    call: ProjectCall,
    *,
    acting_user,
    topic: Topic,
    recommender,
    title: str,
    summary: str,
    pi_name: str,
    pi_id_digits: str = "",
    team: list[dict] = (),
    targets: list[str] = (),
    budget: dict[str, int],
    fiscal_fen: int,
    self_fen: int = 0,
    project_type: str = "research",
) -> Application:
    """A draft application of the acting user's unit."""
    unit = acting_user.organisation
    if not can_apply(acting_user, unit):
        raise PermissionDenied("projects.apply")
    _check_open(call)
    from kechuang.projects.services.documents import check_eligible

    check_eligible(call, unit)
    if topic.call_id != call.pk:
        raise DomainError(ErrorCode.INVALID, _("指南方向不属于本次申报。"), status=422)
    if not title.strip() or not summary.strip() or not pi_name.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称、摘要和负责人。"), status=422)
    if project_type not in ProjectType.values:
        raise DomainError(ErrorCode.INVALID, _("项目类型无效。"), status=422)
    if len(team) > MAX_TEAM:
        raise DomainError(ErrorCode.INVALID, _("项目组成员过多。"), status=422)
    check_budget(call.line.kind, budget, fiscal_fen)
    _fen(self_fen, _("自筹资金"))
    if fiscal_fen > topic.budget_fen:
        raise DomainError(ProjectError.BUDGET_TOPIC, _("申请财政资金超过该指南方向的支持额度。"), status=422)
    if unit.kind == OrganisationKind.ENTERPRISE and self_fen * 100 < call.co_funding_percent * fiscal_fen:
        raise DomainError(
            ProjectError.CO_FUNDING,
            _("企业自筹资金不得少于申请财政资金的 %(p)s%%。") % {"p": call.co_funding_percent},
            status=422,
        )
    application = Application.objects.create(
        call=call,
        topic=topic,
        unit=unit,
        recommender=recommender,
        project_type=project_type,
        title=title.strip(),
        summary=summary.strip(),
        pi_name=pi_name.strip(),
        pi_key=person_key(pi_name, pi_id_digits),
        team=[
            {
                "name": m["name"],
                "role": m.get("role", ""),
                "key": person_key(m["name"], m.get("id_digits", "")),
            }
            for m in team
        ],
        targets=list(targets),
        fiscal_fen=fiscal_fen,
        self_fen=self_fen,
        created_by=acting_user,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, category=c, amount_fen=a) for c, a in sorted(budget.items())
    )
    record(
        "projects.application.create",
        application,
        acting_user=acting_user,
        changes={"fiscal_fen": fiscal_fen, "budget": budget},
    )
    return application


@transaction.atomic
def do_sign_pledge(application: Application, *, acting_user) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not can_edit_application(acting_user, application):
        raise PermissionDenied("projects.apply")
    if application.status != ApplicationStatus.DRAFT:
        raise StateError(_("只有填报中的申报书可以签署承诺。"))
    application.pledge_signed_at = timezone.now()
    application.pledge_signed_by = acting_user
    application.save(update_fields=["pledge_signed_at", "pledge_signed_by"])
    record("projects.application.pledge", application, acting_user=acting_user)
    return application


def _check_limits(application: Application) -> None:
    call = application.call
    team_keys = [m["key"] for m in application.team]
    keys = {application.pi_key, *team_keys}
    others = Application.objects.filter(call=call, status__in=ACTIVE_STATUSES).exclude(pk=application.pk)
    for other in others.only("pi_key", "team", "title"):
        clash = keys & {other.pi_key, *(m["key"] for m in other.team)}
        if clash:
            raise DomainError(
                ProjectError.PERSON_TWICE,
                _("同一人在同一批次只能参与申报一个项目（已在“%(title)s”中）。") % {"title": other.title},
                {"people": sorted(k.split("|")[0] for k in clash)},
                status=409,
            )
    running = Application.objects.filter(pi_key=application.pi_key, status__in=ACTIVE_STATUSES).exclude(
        pk=application.pk
    )
    if running.count() >= call.max_per_pi:
        raise DomainError(
            ProjectError.PI_LIMIT,
            _("项目负责人在研及申报项目已达 %(n)s 项上限。") % {"n": call.max_per_pi},
            status=409,
        )
    unit_count = (
        Application.objects.filter(unit_id=application.unit_id, call=call, status__in=ACTIVE_STATUSES)
        .exclude(pk=application.pk)
        .count()
    )
    if unit_count >= call.max_per_unit:
        raise DomainError(
            ProjectError.UNIT_LIMIT,
            _("本单位在本批次的申报已达 %(n)s 项上限。") % {"n": call.max_per_unit},
            status=409,
        )


@transaction.atomic
def do_submit(application: Application, *, acting_user) -> Application:
    """Submit to the recommending unit: before the deadline, with the pledge signed, within the limits."""
    call = (
        ProjectCall.objects.select_for_update(of=("self",)).select_related("line").get(pk=application.call_id)
    )
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not can_edit_application(acting_user, application):
        raise PermissionDenied("projects.apply")
    if application.status != ApplicationStatus.DRAFT:
        raise StateError(_("申报书已提交。"))
    _check_open(call)
    if application.pledge_signed_at is None:
        raise DomainError(ProjectError.NO_PLEDGE, _("请先签署科研诚信承诺书。"), status=422)
    lines = dict(application.budget_lines.values_list("category", "amount_fen"))
    check_budget(call.line.kind, lines, application.fiscal_fen)
    _check_limits(application)
    from kechuang.projects.services.decision import check_not_blacklisted

    check_not_blacklisted(application)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    record(
        "projects.application.submit",
        application,
        acting_user=acting_user,
        changes={"status": [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED]},
    )
    from kechuang.projects import dedup_index

    dedup_index.index_application(application)
    return application


@transaction.atomic
def do_endorse(application: Application, *, acting_user, note: str = "") -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not can_endorse(acting_user, application):
        raise PermissionDenied("projects.endorse")
    if application.status != ApplicationStatus.SUBMITTED:
        raise StateError(_("只有已提交的申报书可以推荐。"))
    application.status = ApplicationStatus.ENDORSED
    application.endorsed_at = timezone.now()
    application.endorsed_by = acting_user
    application.save(update_fields=["status", "endorsed_at", "endorsed_by"])
    record(
        "projects.application.endorse",
        application,
        acting_user=acting_user,
        note=note,
        changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.ENDORSED]},
    )
    return application


def formal_reasons(application: Application, *, duplicates=None) -> list[dict]:
    """The automatic formal check: each failed rule as {"code", "message"}; empty when the application passes."""
    reasons = []

    def fail(code, message, **details):
        reasons.append({"code": str(code), "message": str(message), **details})

    if application.pledge_signed_at is None:
        fail(ProjectError.NO_PLEDGE, _("未签署科研诚信承诺书。"))
    if application.endorsed_at is None:
        fail(ProjectError.NOT_ENDORSED, _("未经推荐单位推荐。"))
    if application.submitted_at is None or application.submitted_at.date() > application.call.deadline:
        fail(ProjectError.CALL_CLOSED, _("未在截止日期前提交。"))
    lines = dict(application.budget_lines.values_list("category", "amount_fen"))
    try:
        check_budget(application.call.line.kind, lines, application.fiscal_fen)
    except DomainError as exc:
        fail(exc.code, exc.message)
    if not application.targets:
        fail(ErrorCode.INVALID, _("未填写考核指标。"))
    from kechuang.projects.models import DocumentKind
    from kechuang.projects.services.documents import check_eligible, missing_documents

    missing = missing_documents(application)
    if missing:
        names = dict(DocumentKind.choices)
        fail(
            ProjectError.DOCUMENTS_MISSING,
            _("缺少附件：%(list)s。") % {"list": "、".join(str(names[k]) for k in missing)},
            kinds=missing,
        )
    try:
        check_eligible(application.call, application.unit)
    except DomainError as exc:
        fail(exc.code, exc.message, kinds=exc.details["kinds"])
    from kechuang.projects.services.decision import blacklist_hits

    for hit in blacklist_hits(application):
        fail(
            ProjectError.BLACKLISTED,
            _("%(who)s在%(source)s中（%(reference)s）：%(reason)s")
            % {
                "who": hit["who"],
                "source": hit["source_name"],
                "reference": hit["reference"],
                "reason": hit["reason"],
            },
            record=hit["record"],
            source=hit["source"],
        )
    for hit in duplicates or ():
        fail(
            "project_duplicate",
            _("与“%(title)s”高度相似（%(score)s）。") % {"title": hit["title"], "score": hit["score"]},
            other=hit["id"],
            kind=hit["kind"],
            passages=hit["passages"],
        )
    return reasons


@transaction.atomic
def do_formal_check(application: Application, *, acting_user, duplicates=None) -> Application:
    """Record the automatic check's reasons; the application passes only when there are none."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__line")
        .get(pk=application.pk)
    )
    _require_manager(acting_user, application.call)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ENDORSED):
        raise StateError(_("该申报书不在形式审查阶段。"))
    old = application.status
    if duplicates is None:
        duplicates = find_duplicates(application)
    reasons = formal_reasons(application, duplicates=duplicates)
    application.formal_reasons = reasons
    application.status = ApplicationStatus.FORMAL_FAILED if reasons else ApplicationStatus.FORMAL_PASSED
    application.save(update_fields=["formal_reasons", "status"])
    record(
        "projects.application.formal_check",
        application,
        acting_user=acting_user,
        changes={"status": [old, application.status], "reasons": [r["code"] for r in reasons]},
    )
    return application


def application_text(application: Application) -> str:
    return "\n".join([application.title + "。", application.summary, *map(str, application.targets)])


def find_duplicates(application: Application, *, limit: int = 5) -> list[dict]:
    """Submitted applications of any call (past and current) near-duplicating this one, with similar passages.

    Same-language copies and rewordings by shingles; translations by the figures they keep (anchors, see
    `dedup_anchors`), and by e5 vectors only for a text with too few figures to judge. Everything past comes from
    the stored index (`dedup_index`): nothing past is tokenised or embedded again."""
    from kechuang.projects import dedup, dedup_anchors, dedup_index

    rows = dedup_index.load(exclude=[application.pk])
    if not rows:
        return []
    corpus = dedup_index.corpus(rows)
    text = application_text(application)
    hits = dedup.shingle_hits([(application.pk, text)], corpus)
    own_language = dedup.language(text)
    if any(lang != own_language for lang in corpus.languages):
        hits += dedup_anchors.hits([(application.pk, text)], dedup_index.anchor_corpus(rows))
        if dedup_anchors.features(text).size < dedup_anchors.ANCHOR_MIN_SHARED:
            dedup_index.index_application(application)
            corpus.vectors = dedup_index.vectors(corpus.ids)
            vector = dedup_index.vectors([application.pk])
            hits += dedup.translation_hits([(application.pk, text)], vector, corpus)
    hits = sorted(hits, key=lambda h: -h.score)[:limit]
    others = {o.pk: o for o in Application.objects.filter(pk__in=[h.past for h in hits])}
    out = []
    for hit in hits:
        other_text = application_text(others[hit.past])
        if hit.kind == "translation":
            passages = dedup_anchors.passages(text, other_text) or dedup.similar_passages_across(
                text, other_text
            )
        else:
            passages = dedup.similar_passages(text, other_text)
        out.append(
            {
                "id": hit.past,
                "title": others[hit.past].title,
                "kind": hit.kind,
                "score": hit.score,
                "passages": [{"new": a, "other": b, "score": s} for a, b, s in passages],
            }
        )
    return out


@transaction.atomic
def do_send_to_review(call: ProjectCall, *, acting_user) -> int:
    """Every application that passed the formal check becomes a submission of the call's review process (online
    review, then panel hearing), created on first use with the `project_2024` rubric. Returns how many were sent."""
    from kechuang.review import services as review
    from kechuang.review.models import Rubric, StageKind

    call = (
        ProjectCall.objects.select_for_update(of=("self",)).select_related("line__department").get(pk=call.pk)
    )
    _require_manager(acting_user, call)
    if call.review_process_id is None:
        call.review_process = review.do_create_process(
            acting_user=acting_user,
            name=call.name,
            department=call.line.department,
            rubric=Rubric.objects.get(code="project_2024"),
            stages=[
                {"kind": StageKind.ONLINE, "name": _("网络评审")},
                {"kind": StageKind.HEARING, "name": _("会议答辩")},
            ],
        )
        call.save(update_fields=["review_process"])
    passed = call.applications.select_for_update().filter(
        status=ApplicationStatus.FORMAL_PASSED, review_submission__isnull=True
    )
    sent = 0
    for application in passed.select_related("unit"):
        application.review_submission = review.do_add_submission(
            call.review_process,
            acting_user=acting_user,
            subject_type="projects.application",
            subject_id=application.pk,
            title=application.title,
            text=application_text(application),
            applicant=application.unit,
            people=[application.pi_name, *(m["name"] for m in application.team)],
        )
        application.status = ApplicationStatus.IN_REVIEW
        application.save(update_fields=["review_submission", "status"])
        record(
            "projects.application.to_review",
            application,
            acting_user=acting_user,
            changes={"status": [ApplicationStatus.FORMAL_PASSED, ApplicationStatus.IN_REVIEW]},
        )
        sent += 1
    return sent


# The later stages live in their own modules; re-exported so that callers use `services.do_*` throughout.
from kechuang.projects.services.acceptance import *  # noqa: E402, F403
from kechuang.projects.services.contracts import *  # noqa: E402, F403
from kechuang.projects.services.decision import *  # noqa: E402, F403
from kechuang.projects.services.documents import *  # noqa: E402, F403
from kechuang.projects.services.overseas import *  # noqa: E402, F403
from kechuang.projects.services.results import *  # noqa: E402, F403
