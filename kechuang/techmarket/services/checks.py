"""Checks shared by the market's services: texts, languages, patents, IPC, attributes, duplicates."""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from kechuang.codes import CodeError, check_ipc, check_patent_number
from kechuang.errors import DomainError, ErrorCode
from kechuang.registry.models import Industry, Region
from kechuang.techmarket.errors import MarketError
from kechuang.techmarket.models import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    Listing,
    ListingStatus,
    PriceMode,
    TransferMode,
)
from kechuang.techmarket.search.tokenize import script_shares

LANGUAGES = [code for code, _label in LANGUAGE_CHOICES]
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_PATENTS = 20


def listing_days() -> int:
    return int(getattr(settings, "TECHMARKET_LISTING_DAYS", 365))


def renewal_notice_days() -> int:
    return int(getattr(settings, "TECHMARKET_RENEWAL_NOTICE_DAYS", 30))


def clean_text(value, field: str, *, required: bool, limit: int) -> str:
    """Normalise text as typed; HTML is kept verbatim (templates escape it), control characters are dropped."""
    value = unicodedata.normalize("NFC", str(value or ""))
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if required and not value:
        raise DomainError(
            MarketError.TEXT_REQUIRED, _("“%(field)s”不能为空。") % {"field": field}, {"field": field}
        )
    if len(value) > limit:
        raise DomainError(
            MarketError.TEXT_TOO_LONG,
            _("“%(field)s”过长：%(n)d 字，最多 %(limit)d 字。")
            % {"field": field, "n": len(value), "limit": limit},
            {"field": field},
        )
    return value


def clean_language(language: str) -> str:
    language = (language or "").strip().lower()
    if language in ("zh", "zh-cn", "zh_cn"):
        language = "zh-hans"
    if language not in LANGUAGES:
        raise DomainError(
            MarketError.UNSUPPORTED_LANGUAGE,
            _("不支持的语言“%(lang)s”。支持：%(list)s")
            % {"lang": language[:20], "list": ", ".join(LANGUAGES)},
            {"field": "language"},
        )
    return language


def check_text_language(language: str, text: str) -> None:
    """Mixed-language text is fine, but the declared language's script must make up a fair share of it
    (Thai text declared as Lao, or Chinese declared as English, is refused with a clear message)."""
    shares = script_shares(text)
    if not shares:
        return
    script = "latin" if language in ("en", "vi", "id", "ms", "fil") else language
    if shares.get(script, 0) < 0.2:
        dominant = max(shares, key=shares.get)
        raise DomainError(
            MarketError.UNSUPPORTED_LANGUAGE,
            _("文本的文字（%(found)s）与所选语言 %(lang)s 不符，请选择正确的语言。")
            % {"found": dominant, "lang": language},
            {"field": "language"},
        )


def clean_texts(fields: dict, language: str) -> dict:
    cleaned = {
        "title": clean_text(fields.get("title"), _("标题"), required=True, limit=MAX_TITLE),
        "summary": clean_text(fields.get("summary"), _("简介"), required=True, limit=MAX_TEXT),
        "problem": clean_text(fields.get("problem"), _("解决的问题"), required=False, limit=MAX_TEXT),
        "advantage": clean_text(
            fields.get("advantage"), _("相对现有方案的优势"), required=False, limit=MAX_TEXT
        ),
    }
    check_text_language(language, cleaned["title"] + " " + cleaned["summary"])
    return cleaned


def clean_patents(raw) -> list[str]:
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,;，；\n]+", raw) if p.strip()]
    numbers = []
    for value in raw or []:
        try:
            numbers.append(check_patent_number(value))
        except CodeError as exc:
            raise DomainError(
                MarketError.INVALID_PATENT, exc.message, {"field": "patents", "value": str(value)[:40]}
            )
    if len(numbers) > MAX_PATENTS:
        raise DomainError(
            ErrorCode.INVALID, _("专利最多 %(n)d 件。") % {"n": MAX_PATENTS}, {"field": "patents"}
        )
    return list(dict.fromkeys(numbers))


def clean_ipc(raw) -> str:
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,;，；\n]+", raw) if p.strip()]
    codes = []
    for value in raw or []:
        try:
            codes.append(check_ipc(value))
        except CodeError as exc:
            raise DomainError(MarketError.INVALID_IPC, exc.message, {"field": "ipc_codes"})
    return ",".join(dict.fromkeys(codes))[:200]


def clean_attributes(fields: dict) -> dict:
    out = {}
    if "trl" in fields:
        try:
            trl = int(fields["trl"])
        except (TypeError, ValueError):
            trl = 0
        if not 1 <= trl <= 9:
            raise DomainError(ErrorCode.INVALID, _("技术就绪度应为 1–9 级（GB/T 22900）。"), {"field": "trl"})
        out["trl"] = trl
    if "transfer_mode" in fields:
        if fields["transfer_mode"] not in TransferMode.values:
            raise DomainError(ErrorCode.INVALID, _("合作方式无效。"), {"field": "transfer_mode"})
        out["transfer_mode"] = fields["transfer_mode"]
    if "price_mode" in fields:
        if fields["price_mode"] not in PriceMode.values:
            raise DomainError(ErrorCode.INVALID, _("价格方式无效。"), {"field": "price_mode"})
        out["price_mode"] = fields["price_mode"]
    if "price_fen" in fields:
        price = fields["price_fen"]
        if price in ("", None):
            price = None
        elif isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise DomainError(ErrorCode.INVALID, _("价格必须是非负整数（分）。"), {"field": "price_fen"})
        out["price_fen"] = price
    if (
        out.get("price_mode", fields.get("price_mode")) == PriceMode.LISTED
        and out.get("price_fen", fields.get("price_fen")) is None
    ):
        raise DomainError(ErrorCode.INVALID, _("挂牌价方式须填写价格。"), {"field": "price_fen"})
    if "industry" in fields:
        industry = fields["industry"]
        if industry in ("", None):
            out["industry"] = None
        elif isinstance(industry, Industry):
            out["industry"] = industry
        else:
            out["industry"] = Industry.objects.filter(pk=str(industry)).first()
            if out["industry"] is None:
                raise DomainError(
                    ErrorCode.UNKNOWN_INDUSTRY,
                    _("未知的国民经济行业代码：%(code)s") % {"code": str(industry)[:10]},
                    {"field": "industry"},
                )
    if "region" in fields:
        region = fields["region"]
        if region in ("", None):
            out["region"] = None
        elif isinstance(region, Region):
            out["region"] = region
        else:
            out["region"] = Region.objects.filter(pk=str(region)).first()
            if out["region"] is None:
                raise DomainError(
                    ErrorCode.UNKNOWN_REGION,
                    _("未知的行政区划代码：%(code)s") % {"code": str(region)[:10]},
                    {"field": "region"},
                )
    if "country" in fields:
        if fields["country"] not in dict(COUNTRY_CHOICES):
            raise DomainError(ErrorCode.INVALID, _("国家代码无效。"), {"field": "country"})
        out["country"] = fields["country"]
    if "ipc_codes" in fields:
        out["ipc_codes"] = clean_ipc(fields["ipc_codes"])
    return out


def fingerprint(kind: str, title: str, summary: str) -> str:
    """Same owner + same kind + same normalised title and summary = a duplicate."""
    norm = re.sub(r"\W+", "", f"{title}|{summary}".lower())
    return hashlib.sha256(f"{kind}:{norm}".encode()).hexdigest()


def apply_attributes(listing: Listing, attrs: dict) -> None:
    for name, value in attrs.items():
        setattr(listing, name, value)
    listing.industry_section = listing.industry.section if listing.industry_id else ""
    if listing.region_id and listing.region.level == Region.Level.COUNTRY:
        listing.country, listing.region, listing.city_id = listing.region_id, None, None
    elif listing.region_id:
        listing.city_id = listing.region.city_code
        listing.country = "CN"
    else:
        listing.city_id = None


def check_duplicate(owner_id, kind, fp, exclude=None):
    qs = Listing.objects.filter(owner_id=owner_id, kind=kind, fingerprint=fp).exclude(
        status=ListingStatus.WITHDRAWN
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    existing = qs.first()
    if existing is not None:
        raise DomainError(
            MarketError.DUPLICATE_LISTING,
            _("贵单位已发布过相同内容的信息（编号 %(id)s），请编辑或续期原信息。") % {"id": existing.pk},
            {"existing_id": existing.pk},
            status=409,
        )


def enqueue_index_later(listing_ids, acting_user=None):
    from kechuang.techmarket.indexing import enqueue_index

    # created inside the change's transaction: the worker sees the job exactly when it sees the change
    enqueue_index(listing_ids, acting_user=acting_user)
