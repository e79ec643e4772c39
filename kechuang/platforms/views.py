"""Pages of platforms and institutions: platform records and their import, recognition applications with the
actions their state allows (`ACTIONS`), institutions with their yearly reports and graded evaluations (every point
explained), the evaluation desk, the export and the public notice (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.bounds import MAX_COUNT, parse_int
from kechuang.errors import DomainError
from kechuang.money import MoneyError, Unit, parse_fen
from kechuang.permissions.platforms import (
    PlatformCap,
    access_application_by_id,
    access_institution_by_id,
    can_apply,
    can_manage,
    can_open_platforms,
    can_recommend,
    can_report_for,
    visible_applications,
    visible_institutions,
)
from kechuang.platforms import rules, services, stats
from kechuang.platforms.models import (
    ApplicationStatus,
    Evaluation,
    ExpertReview,
    InstitutionApplication,
    Platform,
)
from kechuang.spreadsheets import xlsx_response

ACTIONS = {
    "recommend": ((ApplicationStatus.SUBMITTED,), can_recommend),
    "not_recommend": ((ApplicationStatus.SUBMITTED,), can_recommend),
    "formal_pass": ((ApplicationStatus.RECOMMENDED,), lambda u, a: can_manage(u)),
    "formal_fail": ((ApplicationStatus.RECOMMENDED,), lambda u, a: can_manage(u)),
    "approve": ((ApplicationStatus.IN_REVIEW,), lambda u, a: can_manage(u)),
    "reject": ((ApplicationStatus.IN_REVIEW,), lambda u, a: can_manage(u)),
    "recognise": ((ApplicationStatus.NOTICE,), lambda u, a: can_manage(u)),
}
MONEY_FIELDS = ("revenue_fen", "rd_spending_fen", "contract_turnover_fen")
COUNT_FIELDS = ("staff", "rd_staff", "premises_m2", "brokers")


def allowed_actions(user, app) -> set[str]:
    return {name for name, (states, who) in ACTIONS.items() if app.status in states and who(user, app)}


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year")
    return parse_int(raw, low=1949, high=2100, default=timezone.localdate().year)


@login_required
def home(request):
    if not can_open_platforms(request.user):
        raise PermissionDenied(PlatformCap.VIEW)
    platforms = Platform.objects.select_related("host")
    kind = request.GET.get("kind", "")
    if kind:
        platforms = platforms.filter(kind=kind)
    return render(
        request,
        "platforms/home.html",
        {
            "platforms": platforms[:200],
            "applications": visible_applications(request.user).select_related("organisation")[:100],
            "institutions": visible_institutions(request.user).select_related("organisation")[:200],
            "managing": can_manage(request.user),
            "can_apply": can_apply(request.user),
            "summary": stats.summary(),
            "approved": InstitutionApplication.objects.filter(status=ApplicationStatus.APPROVED).count(),
        },
    )


@login_required
@require_POST
def import_platforms(request):
    if not can_manage(request.user):
        raise PermissionDenied(PlatformCap.MANAGE)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件。"))
        return redirect("platforms:home")
    try:
        from kechuang.spreadsheets import check_upload_size

        check_upload_size(upload.size)
        report = services.do_import_platforms(
            upload.read(), upload.name, acting_user=request.user, source=request.POST.get("source", "")
        )
        messages.success(
            request,
            _("导入完成：新增 %(c)s，更新 %(u)s，拒绝 %(e)s 行。")
            % {"c": report.created, "u": report.updated, "e": len(report.errors)},
        )
        for err in report.errors[:20]:
            messages.error(request, _("第 %(row)s 行：%(reason)s") % err)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("platforms:home")


def _count(raw, field) -> int:
    number = parse_int(raw, low=0, high=MAX_COUNT)
    if number is None:
        raise DomainError("invalid", _("请填写整数。"), {"field": field}, 422)
    return number


def _figures_from(post) -> dict:
    figures = {}
    for key in MONEY_FIELDS:
        if post.get(key, "").strip():
            figures[key] = parse_fen(post[key], Unit.WAN)
    for key in COUNT_FIELDS:
        if post.get(key, "").strip():
            number = parse_int(post[key], low=0, high=MAX_COUNT)
            if number is None:
                raise DomainError("invalid", _("请填写整数。"), {"field": key}, 422)
            figures[key] = number
    return figures


@login_required
def apply(request):
    if not can_apply(request.user):
        raise PermissionDenied(PlatformCap.APPLY)
    kind = request.POST.get("kind") or request.GET.get("kind") or "new_rd"
    if kind not in ("new_rd", "transfer"):
        kind = "new_rd"
    check = None
    if request.method == "POST":
        try:
            figures = _figures_from(request.POST)
            if request.POST.get("preview"):
                _spec, check, _v = services.check_criteria(
                    kind, request.user.organisation, figures, timezone.localdate()
                )
            else:
                app = services.do_apply_institution(acting_user=request.user, kind=kind, figures=figures)
                messages.success(request, _("认定申请已提交，等待市级推荐。"))
                return redirect("platforms:application", pk=app.pk)
        except MoneyError as exc:
            messages.error(request, str(exc))
        except DomainError as exc:
            messages.error(request, exc.message)
    spec = rules.recognition(kind, timezone.localdate())
    return render(
        request, "platforms/apply.html", {"kind": kind, "spec": spec, "check": check, "form": request.POST}
    )


@login_required
def application_detail(request, pk):
    app = access_application_by_id(request.user, pk)
    return render(
        request,
        "platforms/application.html",
        {
            "app": app,
            "actions": allowed_actions(request.user, app),
            "institution": getattr(app, "institution", None),
        },
    )


@login_required
@require_POST
def application_act(request, pk):
    app = access_application_by_id(request.user, pk)
    action = request.POST.get("action", "")
    if action not in allowed_actions(request.user, app):
        messages.error(request, _("当前状态下不能执行此操作。"))
        return redirect("platforms:application", pk=app.pk)
    note = request.POST.get("note", "")
    try:
        if action in ("recommend", "not_recommend"):
            services.do_recommend(app, acting_user=request.user, recommended=action == "recommend", note=note)
        elif action in ("formal_pass", "formal_fail"):
            services.do_formal_check(app, acting_user=request.user, passed=action == "formal_pass", note=note)
        elif action in ("approve", "reject"):
            services.do_decide(
                app,
                acting_user=request.user,
                approved=action == "approve",
                note=note,
                site_visit_note=request.POST.get("site_visit_note", ""),
            )
        elif action == "recognise":
            institution = services.do_recognise(app, acting_user=request.user)
            messages.success(request, _("已认定，编号 %(n)s。") % {"n": institution.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("platforms:application", pk=app.pk)


@login_required
def institution_detail(request, pk):
    institution = access_institution_by_id(request.user, pk)
    category = rules.evaluation()["categories"][institution.category]
    return render(
        request,
        "platforms/institution.html",
        {
            "institution": institution,
            "evaluations": institution.evaluations.all(),
            "reports": institution.reports.order_by("-year"),
            "self_indicators": [i for i in category["indicators"] if i["source"] == "self"],
            "can_report": can_report_for(request.user, institution),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def report(request, pk):
    institution = access_institution_by_id(request.user, pk)
    if not can_report_for(request.user, institution):
        raise PermissionDenied(PlatformCap.APPLY)
    category = rules.evaluation()["categories"][institution.category]
    try:
        figures = {}
        for ind in category["indicators"]:
            if ind["source"] != "self" or not request.POST.get(ind["code"], "").strip():
                continue
            raw = request.POST[ind["code"]]
            figures[ind["code"]] = (
                parse_fen(raw, Unit.WAN) if ind["unit"] == "fen" else _count(raw, ind["code"])
            )
        services.do_report_indicators(
            institution, acting_user=request.user, year=_year(request), figures=figures
        )
        messages.success(request, _("年度指标已报送。"))
    except (ValueError, TypeError, MoneyError):
        messages.error(request, _("请填写有效的数字。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("platforms:institution", pk=institution.pk)


@login_required
def evaluation(request):
    if not can_manage(request.user):
        raise PermissionDenied(PlatformCap.MANAGE)
    year = _year(request)
    evaluations = Evaluation.objects.filter(year=year).select_related("institution__organisation")
    expert_review = ExpertReview.objects.filter(year=year).select_related("process").first()
    return render(
        request,
        "platforms/evaluation.html",
        {
            "year": year,
            "evaluations": evaluations,
            "spec": rules.evaluation(),
            "expert_process": expert_review.process if expert_review else None,
        },
    )


@login_required
@require_POST
def evaluation_run(request):
    if not can_manage(request.user):
        raise PermissionDenied(PlatformCap.MANAGE)
    year = _year(request)
    action = request.POST.get("action", "")
    try:
        if action == "notice_recognition":
            n = services.do_start_notice(acting_user=request.user)
            messages.success(request, _("认定公示已发布：%(n)s 家。") % {"n": n})
            return redirect("platforms:home")
        if action == "expert_review":
            n = services.do_open_expert_review(year, acting_user=request.user)
            messages.success(request, _("已送专家评议：%(n)s 家机构。") % {"n": n})
        elif action == "evaluate":
            s = services.do_evaluate(year, acting_user=request.user)
            messages.success(request, _("已评估 %(evaluated)s 家机构。") % s)
        elif action == "notice":
            n = services.do_start_evaluation_notice(year, acting_user=request.user)
            messages.success(request, _("评估结果公示已发布：%(n)s 家。") % {"n": n})
        elif action == "finalise":
            s = services.do_finalise_evaluations(year, acting_user=request.user)
            messages.success(request, _("评估结果已确定，%(funded)s 家机构的后补助已报送拨付。") % s)
        else:
            raise DomainError("invalid", _("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('platforms:evaluation')}?year={year}")


@login_required
def export(request):
    if not can_manage(request.user):
        raise PermissionDenied(PlatformCap.MANAGE)
    return xlsx_response(stats.export_workbook(), "platforms.xlsx")


def public_notice(request):
    """The public notice of institutions to be recognised and of evaluation grades: anyone, no login."""
    apps = InstitutionApplication.objects.filter(status=ApplicationStatus.NOTICE).select_related(
        "organisation"
    )
    evaluations = Evaluation.objects.filter(state=Evaluation.State.NOTICE).select_related(
        "institution__organisation"
    )
    return render(request, "platforms/notice.html", {"applications": apps, "evaluations": evaluations})
