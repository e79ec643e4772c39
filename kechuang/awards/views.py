"""Pages of the awards: the call page (managers: formal check, grades, notice, approval, documents; nominators:
their nominations and the nomination form) and the public notice page that anyone can open and object on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.awards import exports, schemes, services
from kechuang.awards.models import AwardCall, AwardObjection, CallStatus, Nomination, NominationStatus
from kechuang.errors import DomainError
from kechuang.permissions.awards import (
    access_call_by_id,
    can_manage_call,
    can_nominate,
    can_open_awards,
    visible_nominations,
)
from kechuang.registry.models import Organisation
from kechuang.spreadsheets import xlsx_response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def home(request):
    if not can_open_awards(request.user):
        raise PermissionDenied("awards")
    calls = [
        c
        for c in AwardCall.objects.all()
        if can_manage_call(request.user, c) or can_nominate(request.user, c)
    ]
    return render(request, "awards/home.html", {"calls": calls})


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
    return {
        "call": call,
        "rows": rows,
        "managing": managing,
        "nominating": can_nominate(request.user, call) and call.status == CallStatus.NOMINATING,
        "categories": schemes.categories(call.kind).items(),
        "scheme": schemes.scheme(call.kind),
        "open_objections": AwardObjection.objects.filter(
            nomination__call=call, status=AwardObjection.Status.OPEN
        ).select_related("nomination")
        if managing
        else [],
    }


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
            nomination = call.nominations.filter(pk=request.POST.get("nomination")).first()
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
                pk=request.POST.get("objection"), nomination__call=call
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
        nomination = call.nominations.filter(pk=request.POST.get("nomination")).first()
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
