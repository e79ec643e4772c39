"""Pages of the awards: the call page (managers: formal check, grades, notice, approval, documents; nominators:
their nominations and the nomination form) and the public notice page that anyone can open and object on."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.awards import exports, schemes, services
from kechuang.awards.models import (
    AwardCall,
    AwardObjection,
    CallStatus,
    NationalAward,
    NationalAwardKind,
    NationalStage,
    Nomination,
    NominationStatus,
)
from kechuang.errors import DomainError, ErrorCode
from kechuang.money import MoneyError, Unit, parse_fen
from kechuang.permissions.awards import (
    access_call_by_id,
    can_manage_call,
    can_manage_national,
    can_nominate,
    can_open_awards,
    visible_nominations,
)
from kechuang.registry.models import Organisation
from kechuang.review import services as review_services
from kechuang.spreadsheets import xlsx_response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _posted_id(request, name: str):
    """A row id from the form (None when it is not one: never an OverflowError from 2^64 or 5,000 digits)."""
    return bounds.parse_int(request.POST.get(name), low=1, high=bounds.MAX_ID)


@login_required
def home(request):
    if not can_open_awards(request.user):
        raise PermissionDenied("awards")
    calls = [
        c
        for c in AwardCall.objects.all()
        if can_manage_call(request.user, c) or can_nominate(request.user, c)
    ]
    national = can_manage_national(request.user, "national_st") or can_manage_national(
        request.user, "china_patent"
    )
    return render(request, "awards/home.html", {"calls": calls, "national": national})


def _call_context(request, call):
    nominations = visible_nominations(request.user, call).select_related("lead_unit", "nominator")
    managing = can_manage_call(request.user, call)
    grade_choices = {
        code: [(g.code, g.name) for g in schemes.grades(call.kind, code)]
        for code in schemes.categories(call.kind)
    }
    rows = [
        {"n": n, "grades": grade_choices.get(n.category, []), "grade_name": exports.grade_name(n)}
        for n in nominations
    ]
    online = call.review_process.stages.filter(kind="online").first() if call.review_process else None
    rebuttal_open = bool(online and online.rebuttal_deadline and timezone.now() <= online.rebuttal_deadline)
    own_objections = (
        AwardObjection.objects.filter(
            nomination__call=call,
            nomination__nominator_id=request.user.organisation_id,
            status=AwardObjection.Status.OPEN,
        ).select_related("nomination")
        if not managing and request.user.organisation_id
        else []
    )
    if rebuttal_open and not managing:
        mine = {r.submission_id for r in online.rebuttals.all()}
        for row in rows:
            sub = row["n"].review_submission
            if sub is not None and sub.status == "active":
                row["reviews"] = review_services.reviews_for_applicant(online, sub)
                row["rebutted"] = sub.pk in mine
    return {
        "call": call,
        "rows": rows,
        "managing": managing,
        "online_stage": online,
        "rebuttal_open": rebuttal_open,
        "own_objections": own_objections,
        "payout_rows": services.payout_rows(call) if managing and call.status == CallStatus.APPROVED else [],
        "prize_rounds": _prize_rounds(request.user, call) if managing else [],
        "national": call.nominations.filter(national_entries__isnull=False).values_list("pk", flat=True)
        if managing
        else [],
        "nominating": can_nominate(request.user, call) and call.status == CallStatus.NOMINATING,
        "categories": schemes.categories(call.kind).items(),
        "national_categories": [
            {"code": code, "name": c["name"], "from": c.get("from", [])}
            for code, c in schemes.national_schemes()[services.NATIONAL_KIND_FOR[call.kind]][
                "categories"
            ].items()
        ],
        "scheme": schemes.scheme(call.kind),
        "open_objections": AwardObjection.objects.filter(
            nomination__call=call, status=AwardObjection.Status.OPEN
        ).select_related("nomination")
        if managing
        else [],
    }


def _prize_rounds(user, call):
    """Accepting 依申请 rounds of the call's year whose programme pays this award's prize, that the user runs."""
    from kechuang.permissions.policy import can_manage_round
    from kechuang.policy.models import Round

    if call.status != CallStatus.APPROVED or call.payout_round_id:
        return []
    code = services.PRIZE_POLICY[call.kind]
    rounds = Round.objects.filter(
        status=Round.Status.DRAFT, mode=Round.Mode.APPLY, year=call.year
    ).select_related("fund__programme")
    return [r for r in rounds if code in r.policy_codes and can_manage_round(user, r)]


@login_required
def call_detail(request, pk):
    call = access_call_by_id(request.user, pk)
    return render(request, "awards/call.html", _call_context(request, call))


def _contributors(post) -> list[dict]:
    names = [line.strip() for line in post.get("contributors", "").splitlines() if line.strip()]
    return [{"name": name} for name in names]


@login_required
@require_POST
def nominate(request, pk):
    call = access_call_by_id(request.user, pk)
    patent = None
    if call.kind == "patent_award" and request.POST.get("patent"):
        from kechuang.pledge.models import Patent

        patent = Patent.objects.filter(application_number=request.POST["patent"].strip()).first()
        if patent is None:
            messages.error(request, _("未找到该专利，请先在专利登记中登记。"))
            return redirect("awards:call", pk=call.pk)
    try:
        services.do_nominate(
            call,
            acting_user=request.user,
            category=request.POST.get("category", ""),
            title=request.POST.get("title", ""),
            summary=request.POST.get("summary", ""),
            lead_unit=request.user.organisation
            if not request.POST.get("lead_unit")
            else Organisation.objects.filter(credit_code=request.POST["lead_unit"].strip()).first()
            or request.user.organisation,
            contributors=_contributors(request.POST),
            patent=patent,
        )
        messages.success(request, _("提名已提交。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:call", pk=call.pk)


@login_required
@require_POST
def manage(request, pk):
    call = access_call_by_id(request.user, pk, manage=True)
    action = request.POST.get("action")
    try:
        if action in ("formal_pass", "formal_fail", "grade"):
            nomination = call.nominations.filter(pk=_posted_id(request, "nomination")).first()
            if nomination is None:
                raise Http404
            if action == "grade":
                services.do_propose_grade(
                    nomination, acting_user=request.user, grade_code=request.POST.get("grade", "")
                )
                messages.success(request, _("已拟定等级。"))
            else:
                services.do_formal_check(
                    nomination,
                    acting_user=request.user,
                    passed=action == "formal_pass",
                    note=request.POST.get("note", "") or (_("材料齐全") if action == "formal_pass" else ""),
                )
                messages.success(request, _("形式审查结论已记录。"))
        elif action == "notice":
            call = services.do_start_notice(call, acting_user=request.user)
            messages.success(
                request,
                _("公示已发布：%(start)s 至 %(end)s。")
                % {"start": call.notice_start, "end": call.notice_end},
            )
        elif action == "answer":
            objection = AwardObjection.objects.filter(
                pk=_posted_id(request, "objection"), nomination__call=call
            ).first()
            if objection is None:
                raise Http404
            services.do_answer_objection(
                objection,
                acting_user=request.user,
                upheld=request.POST.get("upheld") == "1",
                answer=request.POST.get("answer", ""),
            )
            messages.success(request, _("异议已答复。"))
        elif action == "approve":
            services.do_approve(call, acting_user=request.user, document=request.POST.get("document", ""))
            messages.success(request, _("获奖名单已批准。"))
        elif action == "rebuttal":
            deadline = parse_date(request.POST.get("deadline", "") or "")
            if deadline is None:
                raise DomainError(ErrorCode.INVALID, _("请填写答辩截止日期。"), status=422)
            end = timezone.make_aware(dt.datetime.combine(deadline, dt.time(23, 59, 59)))
            services.do_open_rebuttal(call, acting_user=request.user, deadline=end)
            messages.success(request, _("已开放答辩（澄清），截止 %(d)s。") % {"d": deadline})
        elif action == "pay":
            round_ = next(
                (r for r in _prize_rounds(request.user, call) if str(r.pk) == request.POST.get("round")), None
            )
            if round_ is None:
                raise Http404
            services.do_pay_prizes(call, round_, acting_user=request.user)
            messages.success(request, _("奖金已交由批次“%(name)s”拨付。") % {"name": round_.name})
        elif action == "national":
            nomination = call.nominations.filter(pk=_posted_id(request, "nomination")).first()
            if nomination is None:
                raise Http404
            year = request.POST.get("year", "")
            services.do_recommend_national(
                nomination,
                acting_user=request.user,
                year=int(year) if year.isdigit() and len(year) == 4 else 0,
                channel=request.POST.get("channel", "")[:100],
                category=request.POST.get("category", "")[:40],
            )
            messages.success(request, _("已推荐参评国家奖。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:call", pk=call.pk)


@login_required
@require_POST
def respond(request, pk):
    """The nominator's own actions: the rebuttal of the online review and the answer to an objection."""
    call = access_call_by_id(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "rebuttal":
            nomination = (
                visible_nominations(request.user, call).filter(pk=_posted_id(request, "nomination")).first()
            )
            if nomination is None:
                raise Http404
            services.do_submit_rebuttal(
                nomination, acting_user=request.user, text=request.POST.get("text", "")
            )
            messages.success(request, _("答辩（澄清）意见已提交。"))
        elif action == "objection":
            objection = AwardObjection.objects.filter(
                pk=_posted_id(request, "objection"),
                nomination__call=call,
                nomination__nominator_id=request.user.organisation_id,
            ).first()
            if objection is None:
                raise Http404
            services.do_respond_objection(
                objection, acting_user=request.user, text=request.POST.get("text", "")
            )
            messages.success(request, _("说明已提交。"))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:call", pk=call.pk)


@login_required
def annex(request, pk, fmt):
    call = access_call_by_id(request.user, pk, manage=True)
    if fmt == "xlsx":
        return xlsx_response(exports.annex_xlsx(call), f"award-annex-{call.year}.xlsx")
    if fmt == "docx":
        response = HttpResponse(exports.annex_docx(call), content_type=DOCX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="award-annex-{call.year}.{fmt}"'
    return response


@login_required
def certificate(request, pk):
    nomination = (
        Nomination.objects.filter(pk=pk, status=NominationStatus.AWARDED).select_related("call").first()
    )
    if nomination is None:
        raise Http404
    call = nomination.call
    if not (can_manage_call(request.user, call) or request.user.organisation_id == nomination.nominator_id):
        raise Http404
    response = HttpResponse(exports.certificate_pdf(nomination), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{nomination.certificate_no}.pdf"'
    return response


def public_notice(request, pk):
    """The public notice: anyone, without logging in, sees the proposed awards and may object."""
    call = AwardCall.objects.filter(pk=pk, status__in=(CallStatus.NOTICE, CallStatus.APPROVED)).first()
    if call is None:
        raise Http404
    if request.method == "POST":
        nomination = call.nominations.filter(pk=_posted_id(request, "nomination")).first()
        if nomination is None:
            raise Http404
        try:
            services.do_object(
                nomination,
                name=request.POST.get("name", ""),
                contact=request.POST.get("contact", ""),
                text=request.POST.get("text", ""),
                acting_user=request.user if request.user.is_authenticated else None,
            )
            messages.success(request, _("异议已收到，我们将在公示期结束前答复。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("awards:notice", pk=call.pk)
    listed = call.nominations.filter(
        status__in=(NominationStatus.PROPOSED, NominationStatus.AWARDED)
    ).select_related("lead_unit")
    open_now = (
        call.status == CallStatus.NOTICE and call.notice_start <= timezone.localdate() <= call.notice_end
    )
    rows = [{"n": n, "grade_name": exports.grade_name(n), "people": n.contributors.all()} for n in listed]
    return render(
        request,
        "awards/notice.html",
        {"call": call, "rows": rows, "open_now": open_now, "categories": schemes.categories(call.kind)},
    )


def public_notices(request):
    calls = AwardCall.objects.filter(status__in=(CallStatus.NOTICE, CallStatus.APPROVED)).order_by("-year")
    return render(request, "awards/notices.html", {"calls": calls})


def _posted_id(request, name: str) -> int | None:
    """A row id from a form: None (no row) for anything that is not a plausible id, never an error."""
    return bounds.parse_int(request.POST.get(name), low=1, high=bounds.MAX_ID)


@login_required
def national(request):
    """National award recommendations and results, and paying the matching and the defence reward."""
    from kechuang.permissions.policy import can_manage_round
    from kechuang.policy.models import Round

    if not (
        can_manage_national(request.user, "national_st") or can_manage_national(request.user, "china_patent")
    ):
        raise PermissionDenied("awards.national:manage")
    kinds = [k for k in NationalAwardKind.values if can_manage_national(request.user, k)]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "register":
                lead = Organisation.objects.filter(
                    credit_code=request.POST.get("lead_unit", "").strip()
                ).first()
                if lead is None:
                    raise DomainError(ErrorCode.INVALID, _("未找到该统一社会信用代码的单位。"), status=422)
                year = request.POST.get("year", "")
                services.do_register_national(
                    acting_user=request.user,
                    kind=request.POST.get("kind", ""),
                    year=int(year) if year.isdigit() and len(year) == 4 else 0,
                    title=request.POST.get("title", ""),
                    lead_unit=lead,
                    led_by_guangxi=request.POST.get("led") == "1",
                    channel=request.POST.get("channel", ""),
                )
                messages.success(request, _("已登记。"))
            elif action == "result":
                entry = NationalAward.objects.filter(pk=_posted_id(request, "entry"), kind__in=kinds).first()
                if entry is None:
                    raise Http404
                services.do_record_national_result(
                    entry,
                    acting_user=request.user,
                    stage=request.POST.get("stage", ""),
                    document=request.POST.get("document", ""),
                    grade=request.POST.get("grade", ""),
                    prize_fen=parse_fen(request.POST.get("prize", ""), Unit.WAN) or 0,
                )
                messages.success(request, _("结果已登记。"))
            elif action == "pay":
                round_ = Round.objects.filter(pk=_posted_id(request, "round")).first()
                year = request.POST.get("year", "")
                if round_ is None:
                    raise Http404
                services.do_pay_national_rewards(
                    int(year) if year.isdigit() and len(year) == 4 else 0, round_, acting_user=request.user
                )
                messages.success(
                    request, _("配套奖励和答辩奖励已交由批次“%(name)s”拨付。") % {"name": round_.name}
                )
        except (DomainError, MoneyError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("awards:national")
    entries = NationalAward.objects.filter(kind__in=kinds).select_related("lead_unit", "nomination")
    today = timezone.localdate()
    rounds = [
        r
        for r in Round.objects.filter(status=Round.Status.DRAFT, mode=Round.Mode.APPLY).select_related(
            "fund__programme"
        )
        if {"national_award_matching", "national_award_defence"} & set(r.policy_codes)
        and can_manage_round(request.user, r)
    ]
    return render(
        request,
        "awards/national.html",
        {
            "entries": entries,
            "kinds": [(k, NationalAwardKind(k).label) for k in kinds],
            "stages": NationalStage.choices,
            "rounds": rounds,
            # This year's and next year's quotas, and those of every year with a recommendation on record.
            "rates": services.national_reward_rates(today.year),
            "quotas": services.national_quota_rows(
                kinds,
                [
                    today.year,
                    today.year + 1,
                    *entries.filter(nomination__isnull=False).values_list("year", flat=True),
                ],
            ),
        },
    )
