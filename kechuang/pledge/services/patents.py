"""Patents: registration, co-owners, annual fees, and whether a patent may be pledged (the refusals say why)."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang import codes
from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import require
from kechuang.permissions.pledge import ENTERPRISE, can_manage_patent, party_of
from kechuang.pledge import terms
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.models import LegalStatus, Patent, PatentCoOwner, PatentType, Pledge
from kechuang.pledge.services.common import today


@dataclass(frozen=True)
class Refusal:
    """One reason a pledge would be refused at registration (质押登记不予登记的情形)."""

    code: str
    message: str
    patent_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def check_application_number(raw: str) -> codes.ApplicationNumber:
    try:
        return codes.parse_application_number(raw)
    except codes.CodeError as exc:
        raise DomainError(PledgeError.INVALID_PATENT_NUMBER, exc.message, {"field": "application_number"})


PATENT_FIELDS = (
    "title",
    "grant_date",
    "fee_paid_until",
    "legal_status",
    "ipc",
    "in_dispute",
    "invalidation_pending",
)


def _check_patent_fields(fields: dict, filing_date: dt.date) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in PATENT_FIELDS}
    if "title" in cleaned and not (cleaned["title"] or "").strip():
        raise DomainError(ErrorCode.INVALID, _("专利名称不能为空。"), {"field": "title"})
    if "legal_status" in cleaned and cleaned["legal_status"] not in LegalStatus.values:
        raise DomainError(ErrorCode.INVALID, _("未知的法律状态。"), {"field": "legal_status"})
    grant = cleaned.get("grant_date")
    if grant and grant < filing_date:
        raise DomainError(ErrorCode.INVALID, _("授权公告日不能早于申请日。"), {"field": "grant_date"})
    if cleaned.get("legal_status") == LegalStatus.GRANTED and "grant_date" in cleaned and not grant:
        raise DomainError(ErrorCode.INVALID, _("已授权的专利须填写授权公告日。"), {"field": "grant_date"})
    if "ipc" in cleaned:
        ipc = (cleaned["ipc"] or "").strip()
        try:
            cleaned["ipc"] = codes.check_ipc(ipc) if ipc else ""
        except codes.CodeError as exc:
            raise DomainError(ErrorCode.INVALID, exc.message, {"field": "ipc"})
    return cleaned


def _set_co_owners(patent: Patent, co_owners) -> list[dict]:
    patent.co_owners.all().delete()
    rows = []
    for item in co_owners or []:
        name = (item.get("name") or "").strip()
        if not name:
            continue
        org_id = item.get("organisation_id")
        PatentCoOwner.objects.create(
            patent=patent,
            name=name[:200],
            organisation_id=org_id,
            consents_to_pledge=bool(item.get("consents_to_pledge")),
        )
        rows.append({"name": name, "consents_to_pledge": bool(item.get("consents_to_pledge"))})
    return rows


@transaction.atomic
def do_register_patent(
    *,
    acting_user,
    application_number: str,
    title: str,
    filing_date: dt.date,
    patent_type: str | None = None,
    co_owners=None,
    **fields,
) -> Patent:
    """Add one of the enterprise's patents. The type comes from the application number; a stated type must agree."""
    require(party_of(acting_user) == ENTERPRISE, "pledge.patent:add")
    number = check_application_number(application_number)
    if patent_type and patent_type != number.patent_type:
        raise DomainError(
            ErrorCode.INVALID,
            _("申请号表示的专利类型是“%(type)s”，与所选类型不符。")
            % {"type": PatentType(number.patent_type).label},
            {"field": "patent_type"},
        )
    if len(number.digits) == 12 and filing_date.year != number.year:
        raise DomainError(
            ErrorCode.INVALID,
            _("申请日的年份 %(year)d 与申请号中的年份 %(number_year)d 不一致。")
            % {"year": filing_date.year, "number_year": number.year},
            {"field": "filing_date"},
        )
    if Patent.objects.filter(application_number=number.text).exists():
        raise DomainError(
            PledgeError.DUPLICATE_PATENT,
            _("申请号 %(number)s 的专利已在平台登记。") % {"number": number.text},
            status=409,
        )
    cleaned = _check_patent_fields({"title": title, **fields}, filing_date)
    patent = Patent.objects.create(
        owner_id=acting_user.organisation_id,
        application_number=number.text,
        patent_type=number.patent_type,
        filing_date=filing_date,
        expiry_date=terms.expiry_date(number.patent_type, filing_date),
        **cleaned,
    )
    owners = _set_co_owners(patent, co_owners)
    record(
        "pledge.patent.register",
        patent,
        acting_user=acting_user,
        changes={
            "application_number": [None, patent.application_number],
            "title": [None, patent.title],
            "legal_status": [None, patent.legal_status],
            "co_owners": [None, owners],
        },
    )
    return patent


@transaction.atomic
def do_update_patent(patent: Patent, *, acting_user, co_owners=None, **fields) -> Patent:
    require(can_manage_patent(acting_user, patent), "pledge.patent:edit")
    unknown = set(fields) - set(PATENT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    patent = Patent.objects.select_for_update().get(pk=patent.pk)
    cleaned = _check_patent_fields(fields, patent.filing_date)
    changes = {}
    for name, value in cleaned.items():
        if getattr(patent, name) != value:
            changes[name] = [getattr(patent, name), value]
            setattr(patent, name, value)
    if co_owners is not None:
        before = [
            {"name": c.name, "consents_to_pledge": c.consents_to_pledge} for c in patent.co_owners.all()
        ]
        after = _set_co_owners(patent, co_owners)
        if before != after:
            changes["co_owners"] = [before, after]
    if changes:
        patent.save()
        record("pledge.patent.update", patent, acting_user=acting_user, changes=changes)
    return patent


def fee_status(patent: Patent, on: dt.date | None = None) -> str:
    on = on or today()
    if patent.legal_status != LegalStatus.GRANTED:
        return "na"
    if patent.fee_paid_until is None or patent.fee_paid_until < on:
        return "unpaid"
    return "paid"


def check_eligibility(
    enterprise_id: int,
    patents,
    term_months: int,
    *,
    as_of: dt.date | None = None,
    exclude_application_id: int | None = None,
) -> list[Refusal]:
    """Every refusal ground of pledge registration that applies, per patent, each with a clear reason.

    An empty list means the patents can be pledged for a loan of `term_months` starting `as_of`.
    """
    as_of = as_of or today()
    patents = list(patents)
    if not patents:
        return [Refusal(PledgeError.INELIGIBLE, _("请至少选择一件拟质押的专利。"))]
    maturity = terms.add_months(as_of, term_months)
    pledged = Pledge.objects.filter(patent__in=patents, active=True)
    if exclude_application_id:
        pledged = pledged.exclude(application_id=exclude_application_id)
    pledged_ids = set(pledged.values_list("patent_id", flat=True))
    withheld = {}
    for owner in PatentCoOwner.objects.filter(patent__in=patents, consents_to_pledge=False):
        withheld.setdefault(owner.patent_id, []).append(owner.name)
    refusals = []
    for p in patents:
        label = {"number": p.application_number, "title": p.title}

        def add(code, message, p=p):
            refusals.append(Refusal(code, message, p.pk))

        if p.owner_id != enterprise_id:
            add(
                PledgeError.NOT_OWNER,
                _("专利 %(number)s 的专利权人不是出质企业，出质人必须是专利权人。") % label,
            )
        if (
            p.legal_status == LegalStatus.PENDING
            or p.legal_status == LegalStatus.GRANTED
            and not p.grant_date
        ):
            add(PledgeError.NOT_GRANTED, _("专利 %(number)s 尚未授权，专利申请不能出质。") % label)
        elif p.legal_status == LegalStatus.LAPSED:
            add(PledgeError.LAPSED, _("专利 %(number)s 已因未缴年费终止，专利权已失效。") % label)
        elif p.legal_status == LegalStatus.INVALIDATED:
            add(PledgeError.INVALIDATED, _("专利 %(number)s 已被宣告无效。") % label)
        elif p.legal_status in (LegalStatus.EXPIRED, LegalStatus.ABANDONED) or p.expiry_date < as_of:
            add(PledgeError.EXPIRED, _("专利 %(number)s 的专利权已终止（期限届满或放弃）。") % label)
        else:
            if p.fee_paid_until is None or p.fee_paid_until < as_of:
                add(
                    PledgeError.FEE_UNPAID,
                    _("专利 %(number)s 的年费未按期缴纳（缴至 %(until)s），须先补缴。")
                    % {**label, "until": p.fee_paid_until or "—"},
                )
            if maturity > p.expiry_date:
                add(
                    PledgeError.TERM_TOO_LONG,
                    _(
                        "贷款到期日 %(maturity)s 晚于专利 %(number)s 的期限届满日 %(expiry)s：贷款期限 %(term)d 个月长于专利剩余期限。"
                    )
                    % {**label, "maturity": maturity, "expiry": p.expiry_date, "term": term_months},
                )
        if p.in_dispute:
            add(PledgeError.DISPUTE, _("专利 %(number)s 存在权属纠纷，纠纷解决前不能出质。") % label)
        if p.invalidation_pending:
            add(PledgeError.INVALIDATION_PENDING, _("专利 %(number)s 正处于无效宣告程序中。") % label)
        if p.pk in withheld:
            add(
                PledgeError.NO_CO_OWNER_CONSENT,
                _("专利 %(number)s 为共有专利，共有人 %(names)s 尚未同意出质。")
                % {**label, "names": "、".join(withheld[p.pk])},
            )
        if p.pk in pledged_ids:
            add(PledgeError.ALREADY_PLEDGED, _("专利 %(number)s 已经出质且未解除，不能重复质押。") % label)
    return refusals


def raise_refusals(refusals: list[Refusal]) -> None:
    if not refusals:
        return
    code = refusals[0].code if len({r.code for r in refusals}) == 1 else PledgeError.INELIGIBLE
    message = " ".join(str(r.message) for r in refusals)
    raise DomainError(code, message, {"refusals": [r.as_dict() for r in refusals]})
