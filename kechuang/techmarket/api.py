"""The market's API: the same services as the pages. Mounted at /api/market/."""

from datetime import datetime
from typing import Annotated

from annotated_types import MaxLen
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kechuang.accounts.auth import ApiTokenAuth, SessionAuthWithCsrf
from kechuang.bounds import Code, Date, Fen, Id, Name, PassageSearch, Text
from kechuang.permissions import require_cap
from kechuang.permissions import techmarket as perm
from kechuang.techmarket import services
from kechuang.techmarket.indexing import search_listings
from kechuang.techmarket.models import Interest, Listing
from kechuang.techmarket.stats import market_stats

router = Router(tags=["techmarket"])


def anonymous(request):
    """Published listings are public: without credentials a reader is anonymous (contacting needs an account)."""
    return AnonymousUser()


PUBLIC = [ApiTokenAuth(), SessionAuthWithCsrf(), anonymous]


class TextOut(Schema):
    language: str
    origin: str
    title: str
    summary: str
    problem: str
    advantage: str


class ListingOut(Schema):
    id: int
    kind: str
    status: str
    owner_id: int
    owner_name: str
    original_language: str
    trl: int
    ipc_codes: list[str]
    industry_id: str | None
    transfer_mode: str
    price_mode: str
    price_fen: int | None
    region_id: str | None
    country: str
    expires_at: datetime | None
    patents: list[str]
    texts: list[TextOut]


class HitOut(Schema):
    listing_id: int
    score: float
    confidence: float | None
    similarity: float | None
    terms: list[str]
    matched_language: str
    kind: str
    title: str
    summary: str
    language: str
    origin: str
    title_language: str
    original_language: str


class SearchIn(Schema):
    q: PassageSearch
    language: Code | None = None  # the reader's language: what hits are shown in (default: the UI language)
    query_language: Code | None = None  # the query's language when known (default: detected)
    kind: Code | None = None
    industry_section: Code | None = None
    trl_min: Annotated[int, Field(ge=1, le=9)] | None = None
    city: Code | None = None
    country: Code | None = None
    transfer_mode: Code | None = None
    mode: Code = "hybrid"
    limit: Annotated[int, Field(ge=1, le=100)] = 20


class ListingIn(Schema):
    kind: Code
    language: Code
    title: Name
    summary: Text
    problem: Text = ""
    advantage: Text = ""
    trl: Annotated[int, Field(ge=1, le=9)]
    ipc_codes: Name = ""
    industry: Code | None = None
    transfer_mode: Code = "transfer"
    price_mode: Code = "negotiable"
    price_fen: Fen | None = None
    region: Code | None = None
    country: Code | None = None
    patents: Annotated[list[Annotated[str, MaxLen(20)]], MaxLen(50)] = []


class InterestIn(Schema):
    note: Annotated[str, MaxLen(4000)]
    anonymous: bool = False


class MessageIn(Schema):
    body: Annotated[str, MaxLen(4000)]


class MessageOut(Schema):
    id: int
    from_owner: bool
    sender: str
    body: str
    created_at: datetime


class InterestOut(Schema):
    id: int
    listing_id: int
    stage: str
    anonymous: bool
    organisation_name: str | None
    note: str


def search_kind(user, kind: str | None) -> str | None:
    """`achievement`, `demand`, `all` (both), or absent: the other kind than the reader's organisation
    publishes (achievements for anonymous readers)."""
    from kechuang.techmarket.views import default_kind

    if kind == "all":
        return None
    if kind in ("achievement", "demand"):
        return kind
    return default_kind(user)


def reader_language() -> str:
    from django.utils import translation

    from kechuang.techmarket.models import LANGUAGE_CHOICES

    lang = (translation.get_language() or "zh-hans").lower()
    return lang if lang in dict(LANGUAGE_CHOICES) else "zh-hans"


def listing_out(listing: Listing) -> dict:
    return {
        "id": listing.pk,
        "kind": listing.kind,
        "status": listing.status,
        "owner_id": listing.owner_id,
        "owner_name": listing.owner.name,
        "original_language": listing.original_language,
        "trl": listing.trl,
        "ipc_codes": listing.ipc_list,
        "industry_id": listing.industry_id,
        "transfer_mode": listing.transfer_mode,
        "price_mode": listing.price_mode,
        "price_fen": listing.price_fen,
        "region_id": listing.region_id,
        "country": listing.country,
        "expires_at": listing.expires_at,
        "patents": [p.number for p in listing.patents.all()],
        "texts": [
            {
                "language": t.language,
                "origin": t.origin,
                "title": t.title,
                "summary": t.summary,
                "problem": t.problem,
                "advantage": t.advantage,
            }
            for t in listing.texts.all()
        ],
    }


@router.get("/search", response=list[HitOut], summary="Search live listings in any language", auth=PUBLIC)
def search(request, params: Query[SearchIn]):
    """Open to the public. `language` is the reader's language (each hit is shown in it when the owner wrote
    or a person verified that version, else in English, else in the original, with its language and mark);
    `query_language` says what language the query is in (detected when absent); `kind` is achievement, demand
    or all, by default the other kind than the reader's organisation publishes."""
    filters = {
        "industry_section": params.industry_section,
        "city_id": params.city,
        "country": params.country,
        "transfer_mode": params.transfer_mode,
    }
    if params.trl_min:
        filters["trl__gte"] = params.trl_min
    language = services.clean_language(params.language) if params.language else reader_language()
    query_language = services.clean_language(params.query_language) if params.query_language else None
    mode = params.mode if params.mode in ("keyword", "dense", "hybrid") else "hybrid"
    hits = search_listings(
        params.q,
        language=query_language,
        kind=search_kind(request.auth, params.kind),
        filters=filters,
        k=max(1, min(params.limit, 100)),
        mode=mode,
    )
    listings = {
        x.pk: x for x in Listing.objects.filter(pk__in=[h.listing_id for h in hits]).prefetch_related("texts")
    }
    out = []
    for h in hits:
        listing = listings[h.listing_id]
        text = listing.text_for(language)
        out.append(
            {
                "listing_id": h.listing_id,
                "score": h.score,
                "confidence": h.confidence,
                "similarity": h.similarity,
                "terms": h.terms,
                "matched_language": h.language,
                "kind": listing.kind,
                "title": text.title,
                "summary": text.summary,
                "language": text.language,
                "origin": text.origin,
                "title_language": text.language,
                "original_language": listing.original_language,
            }
        )
    return out


@router.get("/listings/{listing_id}", response=ListingOut, auth=PUBLIC)
def get_listing(request, listing_id: Id):
    return listing_out(perm.access_listing_by_id(request.auth, listing_id))


@router.post("/listings", response={201: ListingOut})
def create_listing(request, payload: ListingIn):
    data = payload.dict()
    if data.get("country") is None:
        data.pop("country")
    listing = services.do_create_listing(acting_user=request.auth, **data)
    return 201, listing_out(
        Listing.objects.prefetch_related("texts", "patents").select_related("owner").get(pk=listing.pk)
    )


@router.post("/listings/{listing_id}/renew", response=ListingOut)
def renew_listing(request, listing_id: Id):
    listing = perm.access_listing_by_id(request.auth, listing_id, for_edit=True)
    services.do_renew_listing(listing, acting_user=request.auth)
    return listing_out(perm.access_listing_by_id(request.auth, listing_id))


@router.post("/listings/{listing_id}/interests", response={201: InterestOut})
def express_interest(request, listing_id: Id, payload: InterestIn):
    listing = perm.access_listing_by_id(request.auth, listing_id)
    interest = services.do_express_interest(
        listing, acting_user=request.auth, note=payload.note, anonymous=payload.anonymous
    )
    return 201, interest_out(request.auth, interest)


def interest_out(user, interest: Interest) -> dict:
    show = perm.can_see_interested_party(user, interest)
    return {
        "id": interest.pk,
        "listing_id": interest.listing_id,
        "stage": interest.stage,
        "anonymous": interest.anonymous,
        "organisation_name": interest.organisation.name if show and interest.organisation else None,
        "note": interest.note,
    }


@router.get("/interests/{interest_id}", response=InterestOut)
def get_interest(request, interest_id: Id):
    interest = perm.access_interest_by_id(request.auth, interest_id)
    return interest_out(request.auth, interest)


@router.get("/interests/{interest_id}/messages", response=list[MessageOut])
def list_messages(request, interest_id: Id):
    interest = perm.access_interest_by_id(request.auth, interest_id)
    show = perm.can_see_interested_party(request.auth, interest)
    return [
        {
            "id": m.pk,
            "from_owner": m.from_owner,
            "body": m.body,
            "created_at": m.created_at,
            "sender": str(m.sender) if (m.from_owner or show) else "anonymous",
        }
        for m in interest.messages.select_related("sender")
    ]


@router.post("/interests/{interest_id}/messages", response={201: MessageOut})
def post_message(request, interest_id: Id, payload: MessageIn):
    interest = perm.access_interest_by_id(request.auth, interest_id)
    m = services.do_send_message(interest, acting_user=request.auth, body=payload.body)
    return 201, {
        "id": m.pk,
        "from_owner": m.from_owner,
        "body": m.body,
        "created_at": m.created_at,
        "sender": str(m.sender),
    }


@router.get("/stats", summary="Market statistics by period, city and country (officials)")
def get_stats(
    request, start: Date | None = None, end: Date | None = None, city: Code = "", country: Code = ""
):
    from datetime import date

    require_cap(request.auth, perm.MarketCap.STATS)
    today = timezone.localdate()
    d0 = start or date(today.year, 1, 1)
    d1 = end or today
    figures = market_stats(request.auth, start=d0, end=d1, city=city[:6], country=country[:2])
    return figures
