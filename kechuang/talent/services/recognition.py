"""高层次人才认定: apply → pre-check (city or supervising department) → recognition by catalogue, or by the expert
panel for exceptional cases → public notice in working days with signed objections → certificate, which creates the
benefit schedules of the level (从高不重复 with the person's other programmes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.codes import CodeError, check_bank_account, check_resident_id, mask_id_number
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import wan_text, yuan_text
from kechuang.permissions.core import department_of
from kechuang.permissions.talent import TalentCap, can_apply, can_manage, can_precheck, can_set_payee
from kechuang.talent import benefits as calc
from kechuang.talent import catalogue
from kechuang.talent.errors import TalentError
from kechuang.talent.models import (
    LIVE,
    Basis,
    BenefitSchedule,
    Instalment,
    Panel,
    Person,
    Programme,
    Status,
    TalentApplication,
    TalentObjection,
)
from kechuang.workdays import add_working_days

EVIDENCE_NAMES = {
    "contract": _("聘用（劳动）合同"),
    "social_insurance": _("在桂社会保险缴纳证明"),
    "tax": _("在桂个人所得税缴纳证明"),
}


def _normalise_id(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def check_id_number(raw: str) -> str:
    """A resident ID (GB 11643, 18 characters with its check digit) or a passport number (6–20 letters and digits)."""
    text = _normalise_id(raw)
    if len(text) == 18 and text[:17].isdigit():
        try:
            return check_resident_id(text)
        except CodeError as exc:
            raise DomainError(
                ErrorCode.INVALID, exc.message, {"field": "id_number", "reason": exc.reason}, 422
            ) from exc
    if 6 <= len(text) <= 20 and text.isalnum() and not text.isdigit():
        return text
    raise DomainError(ErrorCode.INVALID, _("请填写有效的身份证号码或护照号码。"), {"field": "id_number"}, 422)


def id_key(raw: str) -> str:
    return hashlib.sha256(f"kechuang-person:{check_id_number(raw)}".encode()).hexdigest()


def person_for(name: str, id_number: str, discipline: str = "") -> Person:
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError(ErrorCode.INVALID, _("请填写姓名（50 字以内）。"), {"field": "name"}, 422)
    key = id_key(id_number)
    number = check_id_number(id_number)
    person, created = Person.objects.get_or_create(
        id_key=key,
        defaults={
            "name": name,
            "id_tail": number[-4:],
            "id_masked": mask_id_number(number),
            "discipline": discipline[:100],
        },
    )
    if not created and not person.id_masked.strip("*")[:-4]:
        # recorded before the masked form was kept: the number given now completes it
        person.id_masked = mask_id_number(number)
        person.save(update_fields=["id_masked"])
    return person


@transaction.atomic
def do_set_payee_account(
    person: Person, *, employer, acting_user, bank_name: str, bank_account: str
) -> Person:
    """The person's own bank account, to which the living subsidy and the settling-in allowance are paid: recorded
    by the employer that holds the person's recognition or 八桂学者 post (or by the talent office)."""
    if not can_set_payee(acting_user, employer):
        raise PermissionDenied(TalentCap.APPLY)
    from kechuang.talent.models import BaguiAppointment

    holds = TalentApplication.objects.filter(person=person, employer=employer, status__in=LIVE).exists() or (
        BaguiAppointment.objects.filter(person=person, post__unit=employer).exists()
    )
    if not holds:
        raise Http404
    bank_name = (bank_name or "").strip()
    try:
        account = check_bank_account(bank_account or "")
    except CodeError as exc:
        raise DomainError(
            ErrorCode.INVALID, exc.message, {"field": "bank_account", "reason": exc.reason}, 422
        ) from exc
    if not account or not bank_name or len(bank_name) > 100:
        raise DomainError(
            TalentError.PAYEE_MISSING, _("请填写开户银行和个人银行账号。"), {"field": "bank_account"}, 422
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = person.bank_account[-4:] if person.bank_account else None
    person.bank_name, person.bank_account = bank_name, account
    person.save(update_fields=["bank_name", "bank_account"])
    # the audit trail keeps the last four digits only: it is read more widely than the account
    record(
        "talent.payee.set",
        person,
        acting_user=acting_user,
        organisation_id=employer.pk,
        changes={"account_tail": [before, account[-4:]], "bank": bank_name},
    )
    return person


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(TalentCap.MANAGE)


def _check_not_recognised(person: Person, level: str) -> None:
    """One live recognition per person: the same level twice is a duplicate; another level is refused with the
    level and certificate the person already holds (一人一档，不重复认定)."""
    held = TalentApplication.objects.filter(person=person, status__in=LIVE).first()
    if held is None:
        return
    if held.level != level:
        raise DomainError(
            TalentError.OTHER_LEVEL,
            _("%(name)s 已有%(level)s的认定（%(state)s），不能再按%(new)s认定；层次调整请先撤回原认定。")
            % {
                "name": person.name,
                "level": held.get_level_display(),
                "state": held.get_status_display(),
                "new": dict(TalentApplication._meta.get_field("level").choices)[level],
            },
            {"held_level": held.level, "application": held.pk},
            status=409,
        )
    raise DomainError(
        TalentError.ALREADY_RECOGNISED,
        _("%(name)s 已有同一层次的认定申请或认定（%(state)s）。")
        % {"name": person.name, "state": held.get_status_display()},
        {"application": held.pk},
        status=409,
    )


@transaction.atomic
def do_apply(
    *,
    acting_user,
    name: str,
    id_number: str,
    level: str,
    contract_start: dt.date,
    contract_end: dt.date,
    evidence: dict,
    basis: str = Basis.CATALOGUE,
    credential: str = "",
    credential_note: str = "",
    position: str = "",
    discipline: str = "",
    today: dt.date | None = None,
) -> TalentApplication:
    """The employer (the acting organisation administrator's organisation) applies for a newly recruited full-time
    person, with the contract, social insurance and tax evidence the rules in force require."""
    if not can_apply(acting_user):
        raise PermissionDenied(TalentCap.APPLY)
    today = today or timezone.localdate()
    rules = catalogue.in_force(today)
    if level not in rules.levels:
        raise DomainError(ErrorCode.INVALID, _("人才层次无效。"), {"field": "level"}, 422)
    if basis not in Basis.values:
        raise DomainError(ErrorCode.INVALID, _("认定方式无效。"), {"field": "basis"}, 422)
    evidence = {k: str(v).strip()[:200] for k, v in (evidence or {}).items() if str(v or "").strip()}
    missing = [k for k in rules.evidence if k not in evidence]
    if missing:
        raise DomainError(
            TalentError.EVIDENCE_MISSING,
            _("缺少证明材料：%(names)s。")
            % {"names": "、".join(str(EVIDENCE_NAMES.get(k, k)) for k in missing)},
            {"missing": missing},
            status=422,
        )
    if contract_end <= contract_start:
        raise DomainError(ErrorCode.INVALID, _("合同止期应晚于起期。"), {"field": "contract_end"}, 422)
    try:
        minimum_end = contract_start.replace(year=contract_start.year + rules.min_contract_years)
    except ValueError:  # 29 February
        minimum_end = contract_start.replace(year=contract_start.year + rules.min_contract_years, day=28)
    if contract_end < minimum_end - dt.timedelta(days=1):
        raise DomainError(
            TalentError.CONTRACT_TOO_SHORT,
            _("聘用合同期限不少于 %(n)s 年（%(start)s 起至少到 %(end)s）。")
            % {
                "n": rules.min_contract_years,
                "start": contract_start,
                "end": minimum_end - dt.timedelta(days=1),
            },
            status=422,
        )
    if contract_start > today or (today - contract_start).days > rules.recruited_within_days:
        raise DomainError(
            TalentError.NOT_NEWLY_RECRUITED,
            _("只受理新引进人才：合同起始日应在申报前 %(n)s 天内。") % {"n": rules.recruited_within_days},
            status=422,
        )
    if basis == Basis.CATALOGUE:
        qualifies = rules.credential_level(credential)
        if qualifies is None:
            raise DomainError(TalentError.CREDENTIAL_LEVEL, _("请选择认定目录中的条目。"), status=422)
        if qualifies != level:
            raise DomainError(
                TalentError.CREDENTIAL_LEVEL,
                _("“%(item)s”对应%(right)s，与申报的%(level)s不符。")
                % {
                    "item": rules.levels[qualifies].credentials[credential]["name"],
                    "right": rules.levels[qualifies].name,
                    "level": rules.levels[level].name,
                },
                {"qualifies": qualifies},
                status=422,
            )
    elif not credential_note.strip():
        raise DomainError(
            ErrorCode.INVALID, _("特殊人才须说明业绩与贡献，供专家评审。"), {"field": "credential_note"}, 422
        )
    person = person_for(name, id_number, discipline)
    _check_not_recognised(person, level)
    app = TalentApplication.objects.create(
        person=person,
        employer=acting_user.organisation,
        level=level,
        basis=basis,
        credential=credential if basis == Basis.CATALOGUE else "",
        credential_note=credential_note.strip()[:300],
        position=position.strip()[:100],
        contract_start=contract_start,
        contract_end=contract_end,
        evidence=evidence,
        rules_version=rules.version,
        created_by=acting_user,
    )
    record(
        "talent.apply",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"level": [None, level], "basis": [None, basis], "credential": [None, credential]},
    )
    return app


def _locked(app: TalentApplication, *expected) -> TalentApplication:
    app = (
        TalentApplication.objects.select_for_update(of=("self",))
        .select_related("person", "employer")
        .get(pk=app.pk)
    )
    if expected and app.status not in expected:
        raise StateError(_("当前状态为“%(status)s”，不能执行此操作。") % {"status": app.get_status_display()})
    return app


def _panel(year: int, acting_user) -> Panel:
    from kechuang.review import services as review
    from kechuang.review.models import Rubric, StageKind

    panel = Panel.objects.filter(year=year).select_related("process").first()
    if panel is not None:
        return panel
    department = department_of(acting_user) if acting_user is not None else None
    if department is None:
        from kechuang.registry.models import DepartmentType, Organisation

        department = Organisation.objects.filter(
            department_type=DepartmentType.SCIENCE, city__isnull=True
        ).first()
        department = department or Organisation.objects.filter(department_type=DepartmentType.SCIENCE).first()
    process = review.do_create_process(
        acting_user=None,
        name=_("%(year)s 年度高层次人才认定专家评审") % {"year": year},
        department=department,
        rubric=Rubric.objects.get(code="talent_panel_2023"),
        stages=[
            {"kind": StageKind.ONLINE, "name": _("专家评议")},
            {"kind": StageKind.VOTE, "name": _("认定委员会表决"), "two_thirds": True},
        ],
        reviews_per_submission=3,
    )
    return Panel.objects.create(year=year, process=process)


@transaction.atomic
def do_precheck(app: TalentApplication, *, acting_user, passed: bool, note: str = "") -> TalentApplication:
    """初审 by an official whose area covers the employer: documents and facts checked; an exceptional case goes on
    to the year's expert panel."""
    app = _locked(app, Status.SUBMITTED)
    if not can_precheck(acting_user, app):
        raise PermissionDenied(TalentCap.PRECHECK)
    if not passed and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("不通过时请写明理由。"), {"field": "note"}, 422)
    old = app.status
    app.precheck_by, app.precheck_note = acting_user, note.strip()[:300]
    if not passed:
        app.status = Status.PRECHECK_FAILED
    elif app.basis == Basis.PANEL:
        from kechuang.review import services as review

        panel = _panel(timezone.localdate().year, acting_user)
        app.review_submission = review.do_add_submission(
            panel.process,
            acting_user=None,
            subject_type="talent.application",
            subject_id=app.pk,
            title=_("%(name)s（%(level)s）") % {"name": app.person.name, "level": app.get_level_display()},
            text=app.credential_note,
            applicant=app.employer,
            people=[app.person.name],
        )
        app.status = Status.IN_PANEL
    else:
        app.status = Status.PRECHECKED
    app.save(update_fields=["status", "precheck_by", "precheck_note", "review_submission"])
    record(
        "talent.precheck",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"status": [old, app.status]},
        note=app.precheck_note,
    )
    return app


@transaction.atomic
def do_recognise(app: TalentApplication, *, acting_user, note: str = "") -> TalentApplication:
    """Propose the recognition: by the catalogue after the pre-check, or after the panel passed it."""
    _require_manager(acting_user)
    app = _locked(app, Status.PRECHECKED, Status.IN_PANEL)
    if app.status == Status.IN_PANEL:
        from kechuang.review.models import SubmissionStatus

        submission = app.review_submission
        if submission is None or submission.status != SubmissionStatus.PASSED:
            raise DomainError(
                TalentError.PANEL_REQUIRED, _("特殊人才须经专家评审通过后才能认定。"), status=409
            )
    old = app.status
    app.status, app.decision_note = Status.PROPOSED, note.strip()[:300]
    app.save(update_fields=["status", "decision_note"])
    record(
        "talent.recognise",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"status": [old, app.status]},
    )
    return app


@transaction.atomic
def do_reject(app: TalentApplication, *, acting_user, note: str) -> TalentApplication:
    _require_manager(acting_user)
    app = _locked(app, Status.PRECHECKED, Status.IN_PANEL)
    if not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请写明不予认定的理由。"), {"field": "note"}, 422)
    old = app.status
    app.status, app.decision_note = Status.REJECTED, note.strip()[:300]
    app.save(update_fields=["status", "decision_note"])
    record(
        "talent.reject",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"status": [old, app.status]},
        note=app.decision_note,
    )
    return app


@transaction.atomic
def do_start_notice(*, acting_user, start: dt.date | None = None) -> int:
    """Publish every proposed recognition for the rules' working days (公示); returns how many."""
    _require_manager(acting_user)
    start = start or timezone.localdate()
    rules = catalogue.in_force(start)
    try:
        end = add_working_days(start, rules.notice_working_days)
    except NotImplementedError:
        raise DomainError(ErrorCode.INVALID, _("节假日安排尚未发布，无法计算公示期。"), status=409)
    apps = list(TalentApplication.objects.select_for_update().filter(status=Status.PROPOSED))
    if not apps:
        raise StateError(_("没有拟认定的人才，不能公示。"))
    TalentApplication.objects.filter(pk__in=[a.pk for a in apps]).update(
        status=Status.NOTICE, notice_start=start, notice_end=end
    )
    for app in apps:
        record(
            "talent.notice",
            app,
            acting_user=acting_user,
            organisation_id=app.employer_id,
            changes={"status": [Status.PROPOSED, Status.NOTICE], "start": [None, start], "end": [None, end]},
        )
    return len(apps)


@transaction.atomic
def do_object(
    app: TalentApplication, *, name: str, contact: str, text: str, acting_user=None
) -> TalentObjection:
    """Anyone may object during the notice, signed with a name and a contact."""
    today = timezone.localdate()
    if app.status != Status.NOTICE or not (app.notice_start <= today <= app.notice_end):
        raise DomainError(TalentError.NOTICE_CLOSED, _("不在公示期内。"), status=409)
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    if not name or not contact or len(text) < 10:
        raise DomainError(
            ErrorCode.INVALID, _("请填写真实姓名、联系方式和不少于 10 字的异议内容。"), status=422
        )
    objection = TalentObjection.objects.create(
        application=app, name=name[:50], contact=contact[:100], text=text[:5000]
    )
    record("talent.objection", app, acting_user=acting_user, organisation_id=app.employer_id, note=name[:50])
    return objection


@transaction.atomic
def do_answer_objection(
    objection: TalentObjection, *, acting_user, upheld: bool, answer: str
) -> TalentObjection:
    _require_manager(acting_user)
    objection = TalentObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.state != TalentObjection.State.OPEN:
        raise StateError(_("该异议已答复。"))
    if not answer.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写答复。"), {"field": "answer"}, 422)
    objection.state = TalentObjection.State.UPHELD if upheld else TalentObjection.State.DISMISSED
    objection.answer = answer.strip()
    objection.save(update_fields=["state", "answer"])
    app = objection.application
    if upheld:
        app = _locked(app, Status.NOTICE)
        app.status = Status.WITHDRAWN
        app.save(update_fields=["status"])
    record(
        "talent.objection.answer",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={"upheld": upheld},
        note=answer[:200],
    )
    return objection


def schedule_explanation(rules, level_code: str, benefit, first_year: int) -> str:
    level = rules.levels[level_code]
    parts = calc.split_evenly(benefit.total_fen, benefit.years)
    text = _(
        "%(level)s%(kind)s共 %(total)s 万元，分 %(years)s 年发放（%(first)s 年起），每期 %(each)s 万元"
    ) % {
        "level": level.name,
        "kind": dict(BenefitSchedule._meta.get_field("kind").choices)[benefit.kind],
        "total": wan_text(benefit.total_fen),
        "years": benefit.years,
        "first": first_year,
        "each": wan_text(parts[0]) if len(set(parts)) == 1 else "/".join(wan_text(p) for p in parts),
    }
    source = _("依据：%(doc)s（规则版本 %(v)s；可信度 %(c)s%(note)s）") % {
        "doc": rules.document,
        "v": rules.version,
        "c": benefit.confidence,
        "note": f"；{benefit.note}" if benefit.note else "",
    }
    return f"{text}。{source}"


def create_schedule(
    *,
    person,
    employer,
    programme,
    kind,
    total_fen,
    years,
    first_year,
    explanation,
    application=None,
    appointment=None,
) -> BenefitSchedule:
    schedule = BenefitSchedule.objects.create(
        person=person,
        employer=employer,
        programme=programme,
        application=application,
        appointment=appointment,
        kind=kind,
        total_fen=total_fen,
        years=years,
        explanation=explanation,
    )
    Instalment.objects.bulk_create(
        [
            Instalment(schedule=schedule, index=line.index, year=line.year, amount_fen=line.amount_fen)
            for line in calc.schedule(total_fen, years, first_year)
        ]
    )
    return schedule


def apply_highest_not_twice(person: Person) -> list[BenefitSchedule]:
    """从高不重复: for each exclusive kind, of the person's active schedules across programmes only the one with the
    highest total stays (the earlier on a tie); the others are superseded and their unpaid instalments cancelled.
    What a superseded schedule had already paid is taken off the winner's unpaid instalments, first ones first, so
    the person never receives more of a kind than the best programme's total."""
    changed = []
    for kind in catalogue.exclusive_kinds():
        active = list(
            BenefitSchedule.objects.select_for_update()
            .filter(person=person, kind=kind, state=BenefitSchedule.State.ACTIVE)
            .order_by("-total_fen", "created_at", "id")
        )
        if len(active) < 2:
            continue
        winner, losers = active[0], active[1:]
        for loser in losers:
            paid = sum(i.amount_fen for i in loser.instalments.filter(state__in=["paid", "published"]))
            loser.instalments.filter(state=Instalment.State.SCHEDULED).update(
                state=Instalment.State.CANCELLED, note=_("从高不重复")
            )
            loser.state = BenefitSchedule.State.SUPERSEDED
            loser.reason = (
                _("从高不重复：已按%(programme)s的%(kind)s（%(total)s 万元）享受，本项不重复享受")
                % {
                    "programme": winner.get_programme_display(),
                    "kind": winner.get_kind_display(),
                    "total": wan_text(winner.total_fen),
                }
            )[:300]
            loser.save(update_fields=["state", "reason"])
            left = paid
            for inst in winner.instalments.filter(state=Instalment.State.SCHEDULED).order_by("index"):
                if left <= 0:
                    break
                cut = min(left, inst.amount_fen)
                left -= cut
                if cut == inst.amount_fen:
                    inst.state, inst.note = Instalment.State.CANCELLED, _("已由另一项目发放，不重复")
                    inst.save(update_fields=["state", "note"])
                else:
                    inst.amount_fen -= cut
                    inst.note = (_("扣减另一项目已发放的 %(cut)s 元") % {"cut": yuan_text(cut)})[:300]
                    inst.save(update_fields=["amount_fen", "note"])
            changed.append(loser)
    return changed


@transaction.atomic
def do_certify(app: TalentApplication, *, acting_user, today: dt.date | None = None) -> TalentApplication:
    """After the notice (its working days over, no open objection): the certificate and the level's benefit
    schedules, by the rules in force on the day."""
    _require_manager(acting_user)
    app = _locked(app, Status.NOTICE)
    today = today or timezone.localdate()
    if today <= app.notice_end:
        raise DomainError(
            TalentError.NOTICE_OPEN,
            _("公示期至 %(end)s 结束，结束后才能发证。") % {"end": app.notice_end},
            status=409,
        )
    if app.objections.filter(state=TalentObjection.State.OPEN).exists():
        raise DomainError(TalentError.OBJECTIONS_OPEN, _("仍有未答复的异议。"), status=409)
    rules = catalogue.in_force(today)
    seq = (
        TalentApplication.objects.filter(recognised_on__year=today.year, level=app.level)
        .exclude(certificate_no="")
        .count()
    )
    app.status = Status.RECOGNISED
    app.recognised_on = today
    app.certificate_no = f"GXRC-{today.year}-{app.level}-{seq + 1:04d}"
    app.save(update_fields=["status", "recognised_on", "certificate_no"])
    for kind in catalogue.KINDS:
        benefit = rules.levels[app.level].benefits.get(kind)
        if benefit is None or benefit.total_fen <= 0:
            continue
        create_schedule(
            person=app.person,
            employer=app.employer,
            programme=Programme.TALENT,
            application=app,
            kind=kind,
            total_fen=benefit.total_fen,
            years=benefit.years,
            first_year=today.year,
            explanation=schedule_explanation(rules, app.level, benefit, today.year),
        )
    superseded = apply_highest_not_twice(app.person)
    record(
        "talent.certify",
        app,
        acting_user=acting_user,
        organisation_id=app.employer_id,
        changes={
            "status": [Status.NOTICE, Status.RECOGNISED],
            "certificate": [None, app.certificate_no],
            "superseded": [None, [s.pk for s in superseded]],
        },
    )
    return app
