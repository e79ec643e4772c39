"""Pages of the programme projects (科技计划项目).

- home: the calls, applications, contracts and overseas centres the user may see;
- call: managers run the formal check (a job), the review hand-off, ranking, the decision and notice, confirm
  funding, link the fund and request payments; applicants open the application form;
- application: pledge, submit, endorse, formal check (with 查重 passages), the contract for a funded project;
- contract: signatures, milestones and their payment state in the payout workflow, reports, changes, acceptance;
- notices: the public notice, without login, with signed objections;
- integrity (blacklist) and overseas R&D centres.
Every action is a service call; refusals show the service's reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.bounds import MAX_ID, parse_int
from kechuang.errors import DomainError
from kechuang.permissions.projects import (
    access_application_by_id,
    access_call_by_id,
    access_centre_by_id,
    access_contract_by_id,
    can_act_for_contract,
    can_apply,
    can_edit_application,
    can_endorse,
    can_manage_call,
    can_manage_contract,
    can_manage_integrity,
    is_province_manager,
    visible_applications,
    visible_calls,
    visible_centres,
    visible_contracts,
)
from kechuang.projects import forms, rules, services
from kechuang.projects.models import (
    ApplicationStatus,
    CallStatus,
    ContractStatus,
    DocumentKind,
    IntegrityRecord,
    NoticeObjection,
    ProjectCall,
)


def _posted(queryset, request, key):
    """The row of `queryset` whose id the form posted under `key`; None for a missing, malformed or huge id."""
    pk = parse_int(request.POST.get(key), low=1, high=MAX_ID)
    return queryset.filter(pk=pk).first() if pk is not None else None


def _fail(request, exc):
    messages.error(request, exc.message)


# ---- home and calls ---------------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "projects/home.html",
        {
            "calls": visible_calls(user).order_by("-year", "name")[:50],
            "applications": visible_applications(user).order_by("-created_at")[:200],
            "contracts": visible_contracts(user).order_by("-created_at")[:200],
            "integrity": can_manage_integrity(user),
            "centres": visible_centres(user).exists() or can_apply(user, user.organisation),
        },
    )


@login_required
def call(request, pk):
    call = access_call_by_id(request.user, pk)
    manager = can_manage_call(request.user, call)
    context = {"call": call, "manager": manager}
    if manager:
        from kechuang.policy.models import Fund

        apps = call.applications.select_related("unit", "topic").order_by("rank", "pk")
        context.update(
            applications=apps,
            objections=NoticeObjection.objects.filter(application__call=call).select_related("application"),
            decision_form=forms.DecisionForm(initial={"notice_days": call.notice_days}),
            funds=[
                f
                for f in Fund.objects.select_related("programme").order_by("-year", "pk")[:500]
                if services.POLICY_CODE in f.programme.policy_codes
            ],
            rounds=_call_rounds(call),
        )
    return render(request, "projects/call.html", context)


def _call_rounds(call):
    from kechuang.policy.models import Round

    return (
        Round.objects.filter(candidates__project_milestone__contract__application__call=call)
        .distinct()
        .order_by("pk")
    )


@login_required
@require_POST
def call_action(request, pk):
    call = access_call_by_id(request.user, pk, manage=True)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "formal_check":
            from kechuang.jobs.queue import enqueue

            job = enqueue(
                "projects.formal_check",
                params={"call_id": call.pk, "user_id": user.pk, "language": request.LANGUAGE_CODE},
                label=_("形式审查与查重：%(call)s") % {"call": call.name},
                acting_user=user,
            )
            return redirect("jobs:detail", job_id=job.pk)
        if action == "to_review":
            n = services.do_send_to_review(call, acting_user=user)
            messages.success(request, _("已送专家评审 %(n)s 项。") % {"n": n})
        elif action == "rank":
            ranked = services.do_rank(call, acting_user=user)
            messages.success(request, _("已排序 %(n)s 项。") % {"n": len(ranked)})
        elif action == "decide":
            form = forms.DecisionForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("请填写会议纪要文号和公示工作日。"))
            call = services.do_decide(
                call,
                acting_user=user,
                decision_no=form.cleaned_data["decision_no"],
                notice_days=form.cleaned_data["notice_days"],
            )
            messages.success(
                request,
                _("立项公示已发布：%(start)s 至 %(end)s。")
                % {"start": call.notice_starts, "end": call.notice_ends},
            )
        elif action == "answer":
            objection = NoticeObjection.objects.filter(
                pk=request.POST.get("objection"), application__call=call
            ).first()
            if objection is None:
                raise Http404
            services.do_answer_objection(
                objection,
                acting_user=user,
                upheld=request.POST.get("upheld") == "1",
                answer=request.POST.get("answer", ""),
            )
            messages.success(request, _("异议已答复。"))
        elif action == "confirm":
            services.do_confirm_funding(call, acting_user=user)
            messages.success(request, _("已确认立项。"))
        elif action == "fund":
            from kechuang.policy.models import Fund

            fund = _posted(Fund.objects.select_related("programme"), request, "fund")
            if fund is None:
                raise Http404
            services.do_link_fund(call, fund, acting_user=user)
            messages.success(request, _("已指定拨款资金。"))
        elif action == "pay":
            rounds = services.do_request_payments(call, acting_user=user)
            messages.success(
                request,
                _("已生成 %(n)s 个拨付批次，请在奖补拨付流程中会审、会签、批准和拨付。") % {"n": len(rounds)},
            )
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("projects:call", pk=call.pk)


@login_required
def apply(request, pk):
    from kechuang.registry.models import Organisation, OrganisationKind

    call = access_call_by_id(request.user, pk)
    if not can_apply(request.user, request.user.organisation):
        raise PermissionDenied("projects.apply")
    recommenders = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT, is_active=True).order_by(
        "name"
    )[:500]
    form = forms.ApplicationForm(request.POST or None, call=call, recommenders=recommenders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = form.budget()
        try:
            app = services.do_create_application(
                call,
                acting_user=request.user,
                topic=call.topics.get(pk=data["topic"]),
                recommender=Organisation.objects.get(pk=data["recommender"]),
                title=data["title"],
                summary=data["summary"],
                pi_name=data["pi_name"],
                pi_id_digits=data["pi_id_digits"],
                team=form.team_members(),
                targets=form.target_list(),
                budget=lines,
                fiscal_fen=sum(lines.values()),
                self_fen=data.get("self_fen") or 0,
                project_type=data["project_type"],
            )
            messages.success(request, _("申报书已保存，请签署诚信承诺后提交。"))
            return redirect("projects:application", pk=app.pk)
        except DomainError as exc:
            _fail(request, exc)
    return render(request, "projects/apply.html", {"call": call, "form": form})


# ---- applications -----------------------------------------------------------------------------------------------


@login_required
def application(request, pk):
    app = access_application_by_id(request.user, pk)
    names = rules.categories()
    lines = [(names.get(b.category, b.category), b.amount_fen) for b in app.budget_lines.all()]
    manager = can_manage_call(request.user, app.call)
    return render(
        request,
        "projects/application.html",
        {
            "application": app,
            "lines": lines,
            "manager": manager,
            "applicant": can_edit_application(request.user, app),
            "endorser": can_endorse(request.user, app),
            "attachments": app.attachments.order_by("kind"),
            "document_kinds": DocumentKind.choices,
            "required_documents": app.call.required_documents,
            "contract": getattr(app, "contract", None),
            "contract_form": forms.ContractForm(initial={"starts_on": timezone.localdate()})
            if manager
            else None,
        },
    )


@login_required
def attachment(request, pk):
    """An application's document, for those who may see the application; 404 for anyone else."""
    from kechuang.files import attachment_response
    from kechuang.projects.models import Attachment

    found = Attachment.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    access_application_by_id(request.user, found.application_id)
    return attachment_response(found.file, found.name)


@login_required
@require_POST
def formal_check(request, pk):
    app = access_application_by_id(request.user, pk)
    if not can_manage_call(request.user, app.call):
        raise PermissionDenied("projects.call:manage")
    try:
        services.do_formal_check(app, acting_user=request.user)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("projects:application", pk=pk)


@login_required
@require_POST
def application_action(request, pk):
    app = access_application_by_id(request.user, pk)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "pledge":
            services.do_sign_pledge(app, acting_user=user)
            messages.success(request, _("已签署科研诚信承诺书。"))
        elif action == "submit":
            services.do_submit(app, acting_user=user)
            messages.success(request, _("已提交推荐单位。"))
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError("invalid", _("请选择要上传的文件。"))
            services.do_attach(app, acting_user=user, kind=request.POST.get("kind", ""), upload=upload)
            messages.success(request, _("附件已上传。"))
        elif action == "endorse":
            services.do_endorse(app, acting_user=user, note=request.POST.get("note", ""))
            messages.success(request, _("已推荐。"))
        elif action == "contract":
            form = forms.ContractForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("请填写执行期和支持方式。"))
            contract = services.do_create_contract(app, acting_user=user, **form.cleaned_data)
            return redirect("projects:contract", pk=contract.pk)
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("projects:application", pk=pk)


# ---- contracts --------------------------------------------------------------------------------------------------


@login_required
def contract(request, pk):
    contract = access_contract_by_id(request.user, pk)
    names = rules.categories()
    unit = can_act_for_contract(request.user, contract)
    manager = can_manage_contract(request.user, contract)
    targets = [str(t) for t in contract.targets]
    acceptance = getattr(contract, "acceptance", None)
    return render(
        request,
        "projects/contract.html",
        {
            "contract": contract,
            "unit": unit,
            "manager": manager,
            "lines": [(names.get(b.category, b.category), b.amount_fen) for b in contract.budget_lines.all()],
            "milestones": [
                (m, services.milestone_state(m))
                for m in contract.milestones.select_related("candidate__round")
            ],
            "reports": contract.reports.all(),
            "report_form": forms.ReportForm(targets=targets) if unit else None,
            "changes": contract.changes.all(),
            "change_form": forms.ChangeForm() if unit and contract.status == ContractStatus.RUNNING else None,
            "acceptance": acceptance,
            "acceptance_form": forms.AcceptanceForm(targets=targets)
            if unit and contract.status == ContractStatus.RUNNING
            else None,
            "decision_form": forms.AcceptanceDecisionForm()
            if manager and acceptance and acceptance.review_process_id
            else None,
            "warnings": services.contract_warnings(contract),
            "results": contract.results.all(),
            "clawback": services.clawback_status(contract) if contract.clawback_fen else None,
        },
    )


@login_required
@require_POST
def contract_action(request, pk):
    contract = access_contract_by_id(request.user, pk)
    action = request.POST.get("action")
    user = request.user
    targets = [str(t) for t in contract.targets]
    try:
        if action == "sign":
            services.do_sign_contract(contract, acting_user=user)
            messages.success(request, _("已签署任务书。"))
        elif action == "report":
            report = _posted(contract.reports, request, "report")
            form = forms.ReportForm(request.POST, targets=targets)
            if report is None:
                raise Http404
            if not form.is_valid():
                raise DomainError("invalid", _("请完整填写进展报告。"))
            services.do_submit_report(
                report,
                acting_user=user,
                text=form.cleaned_data["text"],
                progress=form.progress(),
                spent_fen=form.cleaned_data["spent_fen"],
            )
            messages.success(request, _("进展报告已提交。"))
        elif action == "check_report":
            report = _posted(contract.reports, request, "report")
            if report is None:
                raise Http404
            services.do_check_report(
                report,
                acting_user=user,
                passed=request.POST.get("passed") == "1",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("检查意见已记录。"))
        elif action == "change":
            form = forms.ChangeForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("请完整填写变更申请。"))
            services.do_request_change(
                contract,
                acting_user=user,
                kind=form.cleaned_data["kind"],
                payload=form.payload(),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("变更申请已提交。"))
        elif action == "decide_change":
            change = _posted(contract.changes, request, "change")
            if change is None:
                raise Http404
            services.do_decide_change(
                change,
                acting_user=user,
                approve=request.POST.get("approve") == "1",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("变更审批意见已记录。"))
        elif action == "acceptance":
            form = forms.AcceptanceForm(request.POST, targets=targets)
            if not form.is_valid():
                raise DomainError("invalid", _("请完整填写验收申请。"))
            services.do_apply_acceptance(
                contract,
                acting_user=user,
                final_report=form.cleaned_data["final_report"],
                audit_report_no=form.cleaned_data["audit_report_no"],
                audit_firm=form.cleaned_data["audit_firm"],
                spent_fen=form.cleaned_data["spent_fen"],
                outcomes=form.outcomes(),
            )
            messages.success(request, _("验收申请已提交。"))
        elif action in ("result_confirm", "result_decline"):
            offer = _posted(contract.results, request, "result")
            if offer is None:
                raise Http404
            if action == "result_decline":
                services.do_decline_result(offer, acting_user=user)
                messages.success(request, _("该成果不发布。"))
            else:
                trl = parse_int(request.POST.get("trl"), low=1, high=9)
                if trl is None:
                    raise DomainError("invalid", _("技术就绪度应为 1–9 级。"))
                services.do_confirm_result(
                    offer, acting_user=user, trl=trl, title=request.POST.get("title", "").strip() or None
                )
                messages.success(request, _("成果已提交技术市场审核。"))
        elif action == "acceptance_review":
            services.do_send_acceptance_to_review(contract, acting_user=user)
            messages.success(request, _("已组织专家验收评审。"))
        elif action == "acceptance_decide":
            form = forms.AcceptanceDecisionForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("请填写验收结论和意见。"))
            services.do_decide_acceptance(
                contract,
                acting_user=user,
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
                misused_fen=form.cleaned_data.get("misused_fen") or 0,
            )
            messages.success(request, _("验收结论已记录。"))
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("projects:contract", pk=contract.pk)


# ---- public notice (no login) -------------------------------------------------------------------------------------


def notices(request):
    calls = ProjectCall.objects.filter(status__in=(CallStatus.NOTICE, CallStatus.DECIDED)).order_by(
        "-notice_starts"
    )[:100]
    return render(request, "projects/notices.html", {"calls": calls})


def notice(request, pk):
    """The public notice of a call's proposed projects: anyone, without logging in, may read and object."""
    call = ProjectCall.objects.filter(pk=pk, status__in=(CallStatus.NOTICE, CallStatus.DECIDED)).first()
    if call is None:
        raise Http404
    listed = call.applications.filter(
        status__in=(ApplicationStatus.PROPOSED, ApplicationStatus.FUNDED, ApplicationStatus.FINISHED)
    ).select_related("unit", "topic")
    if request.method == "POST":
        app = _posted(listed, request, "application")
        if app is None:
            raise Http404
        try:
            services.do_object(
                app,
                name=request.POST.get("name", ""),
                contact=request.POST.get("contact", ""),
                text=request.POST.get("text", ""),
                acting_user=request.user,
            )
            messages.success(request, _("异议已收到，我们将在公示期结束前答复。"))
        except DomainError as exc:
            _fail(request, exc)
        return redirect("projects:notice", pk=call.pk)
    return render(
        request,
        "projects/notice.html",
        {"call": call, "rows": listed.order_by("rank", "pk"), "open_now": services.notice_open(call)},
    )


# ---- integrity blacklist ----------------------------------------------------------------------------------------


@login_required
def integrity(request):
    from kechuang.registry.models import Organisation

    if not can_manage_integrity(request.user):
        raise PermissionDenied("projects.integrity:manage")
    form = forms.IntegrityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = None
        if data["credit_code"]:
            org = Organisation.objects.filter(credit_code=data["credit_code"].strip().upper()).first()
            if org is None:
                messages.error(request, _("未找到该统一社会信用代码的单位。"))
                return redirect("projects:integrity")
        try:
            services.do_add_integrity_record(
                acting_user=request.user,
                source=data["source"],
                reference=data["reference"],
                reason=data["reason"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                organisation=org,
                person_name=data["person_name"],
                person_id_digits=data["person_id_digits"],
            )
            messages.success(request, _("已记入失信名单。"))
            return redirect("projects:integrity")
        except DomainError as exc:
            _fail(request, exc)
    records = IntegrityRecord.objects.select_related("organisation").order_by("-starts_on", "-id")[:500]
    return render(
        request,
        "projects/integrity.html",
        {"form": form, "records": records, "today": timezone.localdate()},
    )


# ---- overseas R&D centres -----------------------------------------------------------------------------------------


@login_required
def centres(request):
    user = request.user
    own = can_apply(user, user.organisation)
    if not (own or is_province_manager(user)):
        raise PermissionDenied("projects.apply")
    form = forms.CentreForm(request.POST or None) if own else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("projects.apply")
        if form.is_valid():
            try:
                centre = services.do_register_centre(acting_user=user, **form.cleaned_data)
                return redirect("projects:centre", pk=centre.pk)
            except DomainError as exc:
                _fail(request, exc)
    return render(
        request,
        "projects/centres.html",
        {"centres": visible_centres(user).prefetch_related("reports"), "form": form},
    )


@login_required
def centre(request, pk):
    centre = access_centre_by_id(request.user, pk)
    own = can_apply(request.user, centre.organisation)
    form = (
        forms.CentreReportForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
        if own
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("projects.apply")
        if form.is_valid():
            try:
                services.do_report_centre(centre, acting_user=request.user, **form.cleaned_data)
                messages.success(request, _("年度报告已保存。"))
                return redirect(reverse("projects:centre", args=[centre.pk]))
            except DomainError as exc:
                _fail(request, exc)
    return render(
        request, "projects/centre.html", {"centre": centre, "form": form, "reports": centre.reports.all()}
    )
