"""The front door: the public portal, each user's workbench, the public calculator, organisation registration,
and the error pages in the site's layout."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds, money
from kechuang.errors import DomainError
from kechuang.permissions.registry import (
    access_registration_request_by_id,
    can_review_registrations,
    visible_registration_requests,
)
from kechuang.web import portal
from kechuang.web.forms import RegistrationForm
from kechuang.web.models import OrganisationRequest
from kechuang.web.services import do_decide_registration, do_request_registration
from kechuang.web.workbench import todos_for

MAX_FEN = money.MAX_FEN
MAX_COUNT = 10**9
# Who the policy is for (its applies_to): whoever tries a policy is taken to be that kind of organisation.
KIND_FLAGS = {"is_enterprise", "is_financial_institution", "is_fund_manager"}


def home(request):
    if not request.user.is_authenticated:
        return render(
            request,
            "web/portal.html",
            {
                "stats": portal.public_statistics(),
                "notices": portal.notices(),
                "products": portal.loan_products(),
                "events": portal.upcoming_events(),
                "policies": _public_policies(),
                "market_url": portal.url_or_none("techmarket:public_search")
                or portal.url_or_none("techmarket:home"),
                "notice_list_url": portal.url_or_none("policy:public_notices"),
            },
        )
    return workbench(request)


def workbench(request):
    user = request.user
    todos = getattr(request, "_kc_todos", None)
    if todos is None:
        todos = todos_for(user, (translation.get_language() or "zh-hans").lower())
        request._kc_todos = todos
    return render(
        request,
        "web/workbench.html",
        {"todos": todos, "notifications": _notifications(user), "shortcuts": _shortcuts(user)},
    )


@login_required
def nav(request):
    """The navigation with its to-do counts, fetched by the page after it has loaded."""
    from kechuang.web.navigation import nav_items
    from kechuang.web.workbench import counts_by_area

    path = request.GET.get("path", "/")
    if not path.startswith("/"):
        path = "/"
    todos = todos_for(request.user, (translation.get_language() or "zh-hans").lower())
    return render(
        request,
        "web/_nav.html",
        {"nav_items": nav_items(request.user, path, counts_by_area(todos)), "nav_counts_pending": False},
    )


def _notifications(user) -> list[dict]:
    """Unread market notices, each naming the listing it concerns and linking to it."""
    if not user.organisation_id:
        return []
    from django.urls import reverse

    from kechuang.techmarket.models import Notification

    language = (translation.get_language() or "zh-hans").lower()
    rows = []
    for n in (
        Notification.objects.filter(organisation_id=user.organisation_id, read_at__isnull=True)
        .select_related("listing")
        .prefetch_related("listing__texts")[:10]
    ):
        title = ""
        if n.listing_id:
            text = n.listing.text_for(language)
            title = text.title if text else ""
        rows.append(
            {
                "text": n.message,
                "subject": title,
                "url": reverse("techmarket:detail", args=[n.listing_id])
                if n.listing_id
                else reverse("techmarket:dashboard"),
                "at": n.created_at,
            }
        )
    return rows


def _shortcuts(user) -> list[dict]:
    """The few things each role starts from, beyond what is waiting."""
    from django.urls import reverse

    from kechuang.permissions import has_cap
    from kechuang.permissions.pledge import party_of
    from kechuang.permissions.policy import PolicyCap
    from kechuang.permissions.techmarket import can_publish

    items = []
    if has_cap(user, PolicyCap.CALCULATE_OWN) and user.organisation_id:
        items.append({"label": _("查看本企业可享受的政策"), "url": reverse("policy:calculator")})
    if has_cap(user, PolicyCap.VIEW):
        items.append({"label": _("奖补批次"), "url": reverse("policy:round_list")})
    if can_publish(user):
        items.append({"label": _("发布技术成果或需求"), "url": reverse("techmarket:create")})
        items.append({"label": _("我的技术交易信息"), "url": reverse("techmarket:dashboard")})
    if party_of(user) == "enterprise":
        items.append({"label": _("发布融资需求"), "url": reverse("pledge:need_new")})
    if party_of(user) == "bank":
        items.append({"label": _("匹配的融资需求"), "url": reverse("pledge:bank_needs")})
    items.append({"label": _("对接活动"), "url": reverse("events:home")})
    return items


# ---- the public calculator ----------------------------------------------------------------------------------


def _public_policies() -> list[dict]:
    from kechuang.policy import services
    from kechuang.policy.explain import label

    rows = []
    for code, version in sorted(services.current_versions().items()):
        policy = services.get_policy(version)
        # Prizes and national-award rewards are decided by the award procedures, not calculated by an enterprise.
        if policy.kind not in ("payout", "estimate") or code in services.DECIDED_ELSEWHERE:
            continue
        rows.append(
            {"code": code, "name": label(policy.name), "summary": label(policy.summary), "kind": policy.kind}
        )
    return rows


def _fields_for(policy) -> list[dict]:
    from kechuang.policy.engine.variables import VARIABLES
    from kechuang.policy.explain import label, period_label

    fields = []
    for name, offset in sorted(policy.required_inputs(), key=lambda k: (k[0], -k[1])):
        var = VARIABLES.get(name)
        if var is None or name == "year" or name in KIND_FLAGS:
            continue
        fields.append(
            {
                "key": f"{name}__{-offset}",
                "name": name,
                "offset": offset,
                "label": label({"zh": var.zh, "en": var.en}),
                "period": period_label(offset),
                "unit": var.unit,
            }
        )
    return fields


def _parse_field(field: dict, raw: str):
    raw = (raw or "").strip().replace(",", "")
    if field["unit"] == "flag":
        return 1 if raw in ("1", "on", "true") else 0
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(field["label"])
    if field["unit"] == "fen":  # entered in 万元, exact to the fen
        try:
            return money.parse_fen(raw, money.Unit.WAN, max_fen=MAX_FEN)
        except money.MoneyError:
            raise ValueError(field["label"]) from None
    if value != value.to_integral_value() or not (0 <= value <= MAX_COUNT):
        raise ValueError(field["label"])
    return int(value)


def calculator(request):
    """Anyone may try a policy with their own figures. Nothing is stored."""
    from kechuang.policy import services
    from kechuang.policy.explain import gap_text, label, reason_text

    policies = _public_policies()
    codes = {p["code"] for p in policies}
    code = request.GET.get("policy") or (policies[0]["code"] if policies else "")
    if code not in codes:
        raise Http404
    _version, policy = services.get_current_policy(code)
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 6, -1))
    year = bounds.parse_int(
        request.GET.get("year"), low=bounds.MIN_YEAR, high=bounds.MAX_YEAR, default=this_year - 1
    )
    if year not in years:
        year = this_year - 1
    fields = _fields_for(policy)
    result, errors = None, []
    if request.GET.get("run"):
        inputs = {(name, 0): 1 for name, offset in policy.required_inputs() if name in KIND_FLAGS}
        for f in fields:
            f["value"] = request.GET.get(f["key"], "")
            try:
                inputs[(f["name"], f["offset"])] = _parse_field(f, f["value"])
            except ValueError as exc:
                errors.append(_("%(field)s：请填写 0 或正数。") % {"field": exc.args[0]})
        if not errors:
            one = services.evaluate_policy(code, inputs, year=year)
            failed = (
                label(policy.conditions[one.failed].label)
                if one.failed is not None and one.failed >= 0
                else ""
            )
            result = {
                "status": one.status_name,
                "amount": one.amount,
                "capped": one.capped,
                "reason": reason_text(one.reason) if one.status_name == "not_computable" else "",
                "failed": failed,
                "gaps": [gap_text(g) for g in one.gaps],
            }
    return render(
        request,
        "web/calculator.html",
        {
            "policies": policies,
            "code": code,
            "name": label(policy.name),
            "summary": label(policy.summary),
            "kind": policy.kind,
            "fields": fields,
            "year": year,
            "years": years,
            "result": result,
            "errors": errors,
        },
    )


# ---- registration -------------------------------------------------------------------------------------------


def register(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        data.pop("password2", None)
        data["language"] = (translation.get_language() or "").lower()
        try:
            do_request_registration(password=password, **data)
        except DomainError as exc:
            field = (exc.details or {}).get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            return render(request, "web/register_done.html", {"name": data["name"]})
    return render(request, "web/register.html", {"form": form})


@login_required
def registration_list(request):
    if not can_review_registrations(request.user):
        raise PermissionDenied("registry.org:create")
    status = request.GET.get("status") or OrganisationRequest.Status.PENDING
    qs = (
        visible_registration_requests(request.user)
        .filter(status=status)
        .select_related("region", "reviewed_by")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/registrations.html",
        {"page": page, "status": status, "statuses": OrganisationRequest.Status.choices},
    )


@login_required
@require_POST
def registration_decide(request, request_id: int):
    if not can_review_registrations(request.user):
        raise PermissionDenied("registry.org:create")
    req = access_registration_request_by_id(request.user, request_id)
    approve = request.POST.get("decision") == "approve"
    try:
        req = do_decide_registration(
            req, approve=approve, note=request.POST.get("note", ""), acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if approve:
            messages.success(
                request,
                _("已通过“%(name)s”的注册申请，账号 %(user)s 已开通。")
                % {"name": req.name, "user": req.username},
            )
        else:
            messages.success(request, _("已退回“%(name)s”的注册申请。") % {"name": req.name})
    return redirect("web:registration_list")


# ---- health and errors --------------------------------------------------------------------------------------


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request, status: int, title: str, text: str):
    return render(request, "web/error.html", {"status": status, "title": title, "text": text}, status=status)


def forbidden(request, exception=None):
    return _error(
        request, 403, _("没有权限"), _("您的账号不能打开这个页面。如需办理，请联系本机构管理员或主管部门。")
    )


def not_found(request, exception=None):
    return _error(request, 404, _("页面不存在"), _("您要找的页面不存在，或者您没有查看它的权限。"))


def server_error(request):
    """Rendered without database queries where possible: the error may be the database itself."""
    try:
        template = loader.get_template("web/error.html")
        return HttpResponseServerError(
            template.render(
                {
                    "status": 500,
                    "title": _("出错了"),
                    "text": _("系统处理您的请求时出错，已记录下来。请稍后再试，或返回上一页。"),
                    "bare": True,
                }
            )
        )
    except Exception:  # noqa: BLE001 — the last resort must not fail
        return HttpResponseServerError("500")
