from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.permissions import require, require_cap
from kechuang.permissions import techmarket as perm
from kechuang.registry.models import Industry, Organisation, Region
from kechuang.techmarket import services
from kechuang.techmarket.forms import (
    ContractForm,
    FollowUpForm,
    InterestForm,
    ListingForm,
    MessageForm,
    TranslationForm,
)
from kechuang.techmarket.indexing import live_listings, near_duplicates, search_listings
from kechuang.techmarket.models import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    TRL_CHOICES,
    FollowUp,
    Interest,
    Listing,
    ListingKind,
    ListingStatus,
    Match,
    Notification,
    TechContract,
    TransferMode,
)
from kechuang.techmarket.states import INTEREST, STAGE_ACTIONS
from kechuang.techmarket.stats import market_stats

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
PAGE = 20


def render_page(request, template, context):
    user = request.user
    context["perms_market"] = {
        "publish": perm.can_publish(user),
        "review": perm.has_cap(user, perm.MarketCap.REVIEW),
        "stats": perm.has_cap(user, perm.MarketCap.STATS),
    }
    return render(request, template, context)


def reader_language() -> str:
    lang = (translation.get_language() or "zh-hans").lower()
    return lang if lang in LANGUAGE_NAMES else "zh-hans"


def card(listing, language):
    text = listing.text_for(language)
    return {
        "listing": listing,
        "text": text,
        "language_name": LANGUAGE_NAMES.get(text.language if text else "", ""),
        "translated": text is not None and text.language != listing.original_language,
    }


def default_kind(user) -> str:
    """What a search looks for when the reader does not say: the other kind from what their organisation
    publishes (a supplier of achievements looks for demands), otherwise achievements."""
    if user.is_authenticated and user.organisation_id:
        kinds = set(Listing.objects.filter(owner_id=user.organisation_id).values_list("kind", flat=True)[:50])
        if kinds == {ListingKind.ACHIEVEMENT}:
            return ListingKind.DEMAND
    return ListingKind.ACHIEVEMENT


def search_filters(params) -> tuple[dict, dict]:
    """(query-string values, ORM filters) from the search form."""
    values = {
        k: (params.get(k) or "").strip()[:20] for k in ("kind", "section", "trl", "city", "mode", "country")
    }
    orm = {}
    if values["kind"] in ListingKind.values:
        orm["kind"] = values["kind"]
    elif values["kind"] != "all":
        values["kind"] = ""
    if values["section"]:
        orm["industry_section"] = values["section"][:1]
    if bounds.parse_int(values["trl"], low=1, high=9) is not None:
        orm["trl__gte"] = bounds.parse_int(values["trl"], low=1, high=9)
    if values["city"]:
        orm["city_id"] = values["city"]
    if values["mode"] in TransferMode.values:
        orm["transfer_mode"] = values["mode"]
    if values["country"] in dict(COUNTRY_CHOICES):
        orm["country"] = values["country"]
    return values, orm


def home(request):
    """Search in any language (open to the public); without a query, the newest live listings. A query looks
    for the other kind than the reader's organisation publishes unless the reader picks a kind or "all"."""
    q = (request.GET.get("q") or "").strip()[:1000]
    values, orm = search_filters(request.GET)
    language = reader_language()
    hits = {}
    if q:
        kind = orm.pop("kind", None)
        if kind is None and values["kind"] != "all":
            kind = values["kind"] = default_kind(request.user)
        found = search_listings(q, language=language, kind=kind, filters=orm, k=30)
        hits = {h.listing_id: h for h in found}
        listings = (
            Listing.objects.filter(pk__in=hits).select_related("owner", "industry").prefetch_related("texts")
        )
        listings = sorted(listings, key=lambda x: -hits[x.pk].score)
    else:
        listings = live_listings().filter(**orm).select_related("owner", "industry").prefetch_related("texts")
    page = Paginator(listings, PAGE).get_page(request.GET.get("page"))
    results = [dict(card(x, language), hit=hits.get(x.pk)) for x in page]
    return render_page(
        request,
        "techmarket/home.html",
        {
            "q": q,
            "values": values,
            "page": page,
            "results": results,
            "sections": Industry.objects.filter(level=Industry.Level.SECTION),
            "cities": Region.objects.filter(level=Region.Level.CITY),
            "trl_choices": TRL_CHOICES,
            "mode_choices": TransferMode.choices,
            "kind_choices": ListingKind.choices,
            "country_choices": COUNTRY_CHOICES,
            "can_publish": perm.can_publish(request.user),
            "query_string": "&".join(f"{k}={v}" for k, v in {"q": q, **values}.items() if v),
        },
    )


def listing_detail(request, listing_id: int):
    listing = perm.access_listing_by_id(request.user, listing_id)
    services.count_view(listing, request.user)
    language = reader_language()
    owner_side = perm.can_see_owner_side(request.user, listing)
    matches = []
    if owner_side:
        field = "achievement" if listing.kind == ListingKind.DEMAND else "demand"
        side = {"demand": listing} if listing.kind == ListingKind.DEMAND else {"achievement": listing}
        rows = (
            Match.objects.filter(**side, **{f"{field}__in": live_listings()})
            .select_related(field)
            .prefetch_related(f"{field}__texts")[:10]
        )
        matches = [{"match": m, **card(getattr(m, field), language)} for m in rows]
    interests = (
        [
            {"i": i, "show_party": perm.can_see_interested_party(request.user, i)}
            for i in listing.interests.select_related("organisation")
        ]
        if owner_side
        else []
    )
    duplicates = []
    if listing.status in (ListingStatus.DRAFT, ListingStatus.PENDING) and (
        owner_side or perm.can_review_listing(request.user, listing)
    ):
        duplicates = [{"similarity": sim, **card(other, language)} for other, sim in near_duplicates(listing)]
    mine = (
        Interest.objects.filter(listing=listing, created_by=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render_page(
        request,
        "techmarket/detail.html",
        {
            "listing": listing,
            **card(listing, language),
            "texts": listing.texts.all(),
            "patents": listing.patents.all(),
            "owner_side": owner_side,
            "near_duplicates": duplicates,
            "matches": matches,
            "interests": interests,
            "my_interest": mine,
            "can_edit": perm.can_edit_listing(request.user, listing),
            "can_translate": perm.can_translate_listing(request.user, listing),
            "can_review": perm.can_review_listing(request.user, listing)
            and listing.status == ListingStatus.PENDING,
            "can_interest": perm.can_express_interest(request.user, listing) and mine is None,
            "can_follow_up": perm.can_record_follow_up(request.user, listing)
            and listing.kind == ListingKind.DEMAND,
            "follow_ups": listing.follow_ups.select_related("caller")
            if perm.can_record_follow_up(request.user, listing)
            else [],
            "interest_form": InterestForm(),
            "translation_form": TranslationForm(),
            "follow_up_form": FollowUpForm(
                initial={"called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
            ),
        },
    )


def _listing_form_view(request, listing=None):
    if listing is None and not perm.can_publish(request.user):
        raise PermissionDenied(perm.MarketCap.PUBLISH)
    initial = {}
    if listing is not None:
        t = listing.original_text
        initial = {
            "kind": listing.kind,
            "language": listing.original_language,
            "title": t.title,
            "summary": t.summary,
            "problem": t.problem,
            "advantage": t.advantage,
            "trl": listing.trl,
            "ipc_codes": listing.ipc_codes,
            "industry": listing.industry_id or "",
            "transfer_mode": listing.transfer_mode,
            "price_mode": listing.price_mode,
            "price_yuan": listing.price_fen,
            "region": listing.region_id or "",
            "country": listing.country,
            "patents": "\n".join(p.number for p in listing.patents.all()),
        }
    else:
        initial = {"language": reader_language(), "kind": request.GET.get("kind", ListingKind.ACHIEVEMENT)}
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if listing is None:
                listing = services.do_create_listing(acting_user=request.user, **fields)
                messages.success(request, _("已提交，审核通过后发布。"))
            else:
                fields.pop("kind")
                fields.pop("language")
                services.do_update_listing(listing, acting_user=request.user, **fields)
                messages.success(request, _("已保存。"))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("techmarket:detail", listing_id=listing.pk)
    return render_page(request, "techmarket/edit.html", {"form": form, "listing": listing})


@login_required
def listing_create(request):
    return _listing_form_view(request)


@login_required
def listing_edit(request, listing_id: int):
    return _listing_form_view(request, perm.access_listing_by_id(request.user, listing_id, for_edit=True))


def _post_action(request, listing_id, action, ok_message, *, for_edit=True):
    listing = perm.access_listing_by_id(request.user, listing_id, for_edit=for_edit)
    try:
        action(listing)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok_message)
    return redirect("techmarket:detail", listing_id=listing.pk)


@login_required
@require_POST
def listing_renew(request, listing_id: int):
    return _post_action(
        request, listing_id, lambda x: services.do_renew_listing(x, acting_user=request.user), _("已续期。")
    )


@login_required
@require_POST
def listing_submit(request, listing_id: int):
    return _post_action(
        request,
        listing_id,
        lambda x: services.do_submit_listing(x, acting_user=request.user),
        _("已提交审核。"),
    )


@login_required
@require_POST
def listing_withdraw(request, listing_id: int):
    return _post_action(
        request,
        listing_id,
        lambda x: services.do_withdraw_listing(x, acting_user=request.user),
        _("已撤回。"),
    )


@login_required
@require_POST
def listing_translation(request, listing_id: int):
    listing = perm.access_listing_by_id(request.user, listing_id)
    if not perm.can_translate_listing(request.user, listing):
        raise Http404
    form = TranslationForm(request.POST)
    if form.is_valid():
        try:
            services.do_set_text(listing, acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("译文已保存。"))
    else:
        messages.error(request, _("请填写完整的译文。"))
    return redirect("techmarket:detail", listing_id=listing.pk)


@login_required
@require_POST
def listing_review(request, listing_id: int):
    listing = perm.access_listing_by_id(request.user, listing_id)
    if not perm.can_review_listing(request.user, listing):
        raise PermissionDenied(perm.MarketCap.REVIEW)
    approve = request.POST.get("decision") == "approve"
    try:
        services.do_review_listing(
            listing, acting_user=request.user, approve=approve, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布。") if approve else _("已退回。"))
    return redirect("techmarket:review_queue")


@login_required
@require_POST
def interest_create(request, listing_id: int):
    listing = perm.access_listing_by_id(request.user, listing_id)
    require(perm.can_express_interest(request.user, listing), perm.MarketCap.INTEREST)
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写意向说明。"))
        return redirect("techmarket:detail", listing_id=listing.pk)
    try:
        interest = services.do_express_interest(listing, acting_user=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("techmarket:detail", listing_id=listing.pk)
    messages.success(request, _("意向已发送。"))
    return redirect("techmarket:interest", interest_id=interest.pk)


@login_required
def interest_detail(request, interest_id: int):
    interest = perm.access_interest_by_id(request.user, interest_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "message")
        try:
            if action == "stage":
                services.do_set_stage(interest, acting_user=request.user, stage=request.POST.get("stage", ""))
            elif form.is_valid():
                services.do_send_message(interest, acting_user=request.user, body=form.cleaned_data["body"])
            else:
                raise DomainError("invalid", _("请输入消息内容。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("techmarket:interest", interest_id=interest.pk)
    language = reader_language()
    available = INTEREST.available(request.user, interest)
    return render_page(
        request,
        "techmarket/interest.html",
        {
            "interest": interest,
            **card(interest.listing, language),
            "thread": interest.messages.select_related("sender"),
            "form": MessageForm(),
            "see_party": perm.can_see_interested_party(request.user, interest),
            "is_owner": perm.is_owner(request.user, interest.listing),
            "stage_buttons": [
                {
                    "stage": STAGE_ACTIONS[a],
                    "label": INTEREST.label(a),
                    # ending the talks ends them for the other side too: say so before
                    "confirm": _("终止后双方都不能再发送消息或推进阶段。确定终止？") if a == "close" else "",
                }
                for a in available
                if a in STAGE_ACTIONS
            ],
            "may_message": "message" in available,
        },
    )


@login_required
def translations(request):
    """Listings lacking a version in the languages their readers use: the owner's own, or every live listing
    for a 技术经纪人."""
    from kechuang.techmarket.translation import translation_queue

    user = request.user
    if perm.is_tech_broker(user):
        listings = live_listings().order_by("-published_at")
    elif perm.can_publish(user):
        listings = live_listings().filter(owner_id=user.organisation_id).order_by("-published_at")
    else:
        raise Http404
    language = reader_language()
    rows = [
        {**card(item["listing"], language), "missing": [LANGUAGE_NAMES.get(m, m) for m in item["missing"]]}
        for item in translation_queue(listings)
    ]
    return render_page(request, "techmarket/translations.html", {"rows": rows})


def _title(listing, language: str) -> str:
    text = listing.text_for(language)
    return text.title if text else ""


@login_required
def dashboard(request):
    """The owner's listings with views, interest and expiry; conversations; notifications."""
    user = request.user
    if not perm.can_publish(user):  # the owner's side: users who act for their organisation in the market
        raise Http404
    language = reader_language()
    mine = (
        Listing.objects.filter(owner_id=user.organisation_id)
        .exclude(status=ListingStatus.WITHDRAWN)
        .prefetch_related("texts")
        .order_by("-created_at")
    )
    soon = timezone.now() + timezone.timedelta(days=services.renewal_notice_days())
    received = [
        {"i": i, "show_party": perm.can_see_interested_party(user, i)}
        for i in Interest.objects.filter(listing__owner_id=user.organisation_id).select_related(
            "listing", "organisation"
        )[:50]
    ]
    sent = Interest.objects.filter(
        Q(created_by=user) | Q(organisation_id=user.organisation_id)
    ).select_related("listing")[:50]
    notes = [
        {"note": n, "subject": _title(n.listing, language) if n.listing_id else ""}
        for n in Notification.objects.filter(organisation_id=user.organisation_id)
        .select_related("listing")
        .prefetch_related("listing__texts")[:20]
    ]
    if request.method == "POST":
        services.do_mark_notifications_read(acting_user=user)
        return redirect("techmarket:dashboard")
    return render_page(
        request,
        "techmarket/dashboard.html",
        {
            "listings": [
                dict(card(x, language), expiring=x.expires_at and x.expires_at <= soon) for x in mine
            ],
            "received": received,
            "sent": sent,
            "notifications": notes,
        },
    )


@login_required
def review_queue(request):
    require_cap(request.user, perm.MarketCap.REVIEW)
    qs = (
        Listing.objects.filter(status=ListingStatus.PENDING)
        .select_related("owner")
        .prefetch_related("texts", "patents")
    )
    if request.user.city_id:
        qs = qs.filter(city_id=request.user.city_id)
    language = reader_language()
    return render_page(
        request,
        "techmarket/review.html",
        {"items": [card(x, language) for x in qs.order_by("submitted_at")[:100]]},
    )


@login_required
def follow_ups(request):
    """Every live demand with its last call: the department calls each demand back."""
    require_cap(request.user, perm.MarketCap.FOLLOW_UP)
    demands = (
        live_listings().filter(kind=ListingKind.DEMAND).select_related("owner").prefetch_related("texts")
    )
    if request.user.city_id:
        demands = demands.filter(city_id=request.user.city_id)
    last = {}
    for f in FollowUp.objects.filter(listing__in=demands).order_by("listing_id", "-called_at"):
        last.setdefault(f.listing_id, f)
    language = reader_language()
    rows = [dict(card(d, language), last=last.get(d.pk)) for d in demands[:300]]
    rows.sort(key=lambda r: (r["last"] is not None, r["last"].called_at if r["last"] else timezone.now()))
    return render_page(request, "techmarket/follow_ups.html", {"rows": rows})


@login_required
@require_POST
def follow_up_create(request, listing_id: int):
    listing = perm.access_listing_by_id(request.user, listing_id)
    require(perm.can_record_follow_up(request.user, listing), perm.MarketCap.FOLLOW_UP)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写回访时间和结果。"))
    else:
        try:
            services.do_record_follow_up(listing, acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("回访已记录。"))
    return redirect("techmarket:detail", listing_id=listing.pk)


@login_required
def contracts(request):
    user = request.user
    can_register = perm.can_register_contract(user)
    if perm.has_cap(user, perm.MarketCap.STATS):
        qs = (
            TechContract.objects.all()
            if not user.city_id
            else TechContract.objects.filter(city_id=user.city_id)
        )
    elif perm.can_publish(user):  # the users who act for the organisation in the market, not e.g. its experts
        qs = TechContract.objects.filter(Q(seller_id=user.organisation_id) | Q(buyer_id=user.organisation_id))
    else:
        raise Http404
    form = ContractForm(request.POST or None)
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied(perm.MarketCap.CONTRACT)
        if form.is_valid():
            d = form.cleaned_data
            seller = Organisation.objects.filter(credit_code=d["seller_credit_code"].strip().upper()).first()
            listing = Listing.objects.filter(pk=d["listing_id"]).first() if d["listing_id"] else None
            if seller is None:
                form.add_error("seller_credit_code", _("未找到该卖方机构。"))
            else:
                try:
                    services.do_register_contract(
                        acting_user=user,
                        registration_number=d["registration_number"],
                        kind=d["kind"],
                        title=d["title"],
                        seller=seller,
                        buyer_name=d["buyer_name"],
                        buyer_country=d["buyer_country"],
                        amount_fen=d["amount_yuan"],
                        tech_income_fen=d["tech_income_yuan"] or 0,
                        signed_on=d["signed_on"],
                        listing=listing,
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("合同已登记。"))
                    return redirect("techmarket:contracts")
    return render_page(
        request,
        "techmarket/contracts.html",
        {"contracts": qs.select_related("seller", "city")[:200], "form": form if can_register else None},
    )


@login_required
def stats(request):
    require_cap(request.user, perm.MarketCap.STATS)
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        start, end = date(today.year, 1, 1), today
    city = (request.GET.get("city") or "")[:6]
    country = (request.GET.get("country") or "")[:2]
    figures = market_stats(request.user, start=start, end=end, city=city, country=country)
    return render_page(
        request,
        "techmarket/stats.html",
        {
            "f": figures,
            "start": start,
            "end": end,
            "city": city,
            "country": country,
            "cities": Region.objects.filter(level=Region.Level.CITY),
            "country_choices": COUNTRY_CHOICES,
            "chart_series": [
                {"name": _("合同金额（万元）"), "key": "amount_wan"},
                {"name": _("技术交易额（万元）"), "key": "income_wan"},
            ],
        },
    )
