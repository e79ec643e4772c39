"""Every change to the registry goes through these functions: atomic, audited, permission-checked."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import diff, record, snapshot
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import Cap, can_edit_organisation, has_cap
from kechuang.registry.codes import CodeError, check_credit_code
from kechuang.registry.models import Certification, Indicator, IndicatorValue, Industry, Organisation, Region

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "name_en",
    "kind",
    "region",
    "industry",
    "size",
    "registered_capital_fen",
    "established_on",
    "address",
    "contact_name",
    "contact_phone",
    "website",
    "is_active",
)


def check_organisation_fields(fields: dict) -> dict:
    """Normalise and validate user-supplied organisation fields; raise DomainError with a clear message."""
    cleaned = dict(fields)
    if "credit_code" in cleaned:
        try:
            cleaned["credit_code"] = check_credit_code(cleaned["credit_code"])
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID_CREDIT_CODE, exc.message, {"field": "credit_code"})
    region = cleaned.get("region")
    if region is not None and not isinstance(region, Region):
        region = Region.objects.filter(pk=str(region)).first()
        if region is None:
            raise DomainError(
                ErrorCode.UNKNOWN_REGION, _("未知的行政区划代码：%(code)s") % {"code": fields["region"]}
            )
        cleaned["region"] = region
    industry = cleaned.get("industry")
    if industry not in (None, "") and not isinstance(industry, Industry):
        industry = Industry.objects.filter(pk=str(industry)).first()
        if industry is None:
            raise DomainError(
                ErrorCode.UNKNOWN_INDUSTRY,
                _("未知的国民经济行业代码：%(code)s") % {"code": fields["industry"]},
            )
        cleaned["industry"] = industry
    if cleaned.get("industry") == "":
        cleaned["industry"] = None
    capital = cleaned.get("registered_capital_fen")
    if capital is not None and capital < 0:
        raise DomainError(ErrorCode.INVALID, _("注册资本不能为负数。"), {"field": "registered_capital_fen"})
    if not (cleaned.get("name") or "x").strip():
        raise DomainError(ErrorCode.INVALID, _("名称不能为空。"), {"field": "name"})
    return cleaned


@transaction.atomic
def do_create_organisation(*, acting_user, **fields) -> Organisation:
    if acting_user is not None and not has_cap(acting_user, Cap.ORG_CREATE):
        raise PermissionDenied(Cap.ORG_CREATE)
    cleaned = check_organisation_fields(fields)
    if Organisation.objects.filter(credit_code=cleaned["credit_code"]).exists():
        raise DomainError(
            ErrorCode.DUPLICATE_CREDIT_CODE,
            _("统一社会信用代码 %(code)s 已登记。") % {"code": cleaned["credit_code"]},
            status=409,
        )
    org = Organisation(**cleaned)
    org.refresh_derived_fields()
    org.save()
    record(
        "registry.org.create",
        org,
        acting_user=acting_user,
        changes=diff({}, snapshot(org, ("credit_code", *ORGANISATION_EDITABLE_FIELDS))),
    )
    return org


@transaction.atomic
def do_update_organisation(org: Organisation, *, acting_user, **fields) -> Organisation:
    if acting_user is not None and not can_edit_organisation(acting_user, org):
        raise PermissionDenied("registry.org:edit")
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = snapshot(org, ORGANISATION_EDITABLE_FIELDS)
    for name, value in check_organisation_fields(fields).items():
        setattr(org, name, value)
    changes = diff(before, snapshot(org, ORGANISATION_EDITABLE_FIELDS))
    if not changes:
        return org
    org.refresh_derived_fields()
    org.save()
    record("registry.org.update", org, acting_user=acting_user, changes=changes)
    return org


@dataclass(frozen=True)
class IndicatorChange:
    created: bool
    superseded: IndicatorValue | None


def check_indicator_value(indicator: Indicator, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(ErrorCode.INVALID, _("指标“%(name)s”的数值必须是整数。") % {"name": indicator.name})
    if value < 0:
        raise DomainError(ErrorCode.INVALID, _("指标“%(name)s”的数值不能为负数。") % {"name": indicator.name})
    return value


@transaction.atomic
def do_record_indicator(
    org, indicator_code: str, year: int, value: int, *, source: str, acting_user
) -> IndicatorChange:
    """Record a yearly figure. An equal figure changes nothing; a different one supersedes the old, which is kept."""
    if acting_user is not None and not (
        has_cap(acting_user, Cap.ORG_EDIT_ANY)
        and can_edit_organisation(acting_user, org)
        or has_cap(acting_user, Cap.INDICATOR_EDIT_OWN)
        and acting_user.organisation_id == org.pk
    ):
        raise PermissionDenied("registry.indicator:edit")
    indicator = Indicator.objects.get(pk=indicator_code)
    value = check_indicator_value(indicator, value)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(organisation=org, indicator=indicator, year=year, is_current=True)
        .first()
    )
    if current is not None and current.value == value:
        return IndicatorChange(created=False, superseded=None)
    if current is not None:
        current.is_current = False
        current.superseded_at = timezone.now()
        current.save(update_fields=["is_current", "superseded_at"])
    recorder = acting_user if acting_user is not None and acting_user.is_authenticated else None
    IndicatorValue.objects.create(
        organisation=org, indicator=indicator, year=year, value=value, source=source, recorded_by=recorder
    )
    record(
        "registry.indicator.record",
        org,
        acting_user=acting_user,
        changes={f"{indicator.code}:{year}": [current.value if current else None, value]},
        note=source,
    )
    return IndicatorChange(created=True, superseded=current)


@transaction.atomic
def do_add_certification(
    org, *, kind: str, valid_from, valid_to, number: str = "", source: str = "", acting_user
):
    if acting_user is not None and not (
        has_cap(acting_user, Cap.ORG_EDIT_ANY) and can_edit_organisation(acting_user, org)
    ):
        raise PermissionDenied("registry.certification:add")
    if valid_to < valid_from:
        raise DomainError(ErrorCode.INVALID, _("有效期止不能早于有效期起。"))
    cert = Certification.objects.create(
        organisation=org, kind=kind, number=number, valid_from=valid_from, valid_to=valid_to, source=source
    )
    record(
        "registry.certification.add",
        org,
        acting_user=acting_user,
        changes={
            "certification": [None, {"kind": kind, "from": valid_from, "to": valid_to, "number": number}]
        },
    )
    return cert


def current_indicator_series(org) -> dict[str, dict[int, int]]:
    """{indicator_code: {year: value}} of the current figures, for the detail page and its chart."""
    series: dict[str, dict[int, int]] = {}
    rows = IndicatorValue.objects.filter(organisation=org, is_current=True).values_list(
        "indicator_id", "year", "value"
    )
    for code, year, value in rows:
        series.setdefault(code, {})[year] = value
    return series
