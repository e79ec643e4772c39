"""Every change to the registry goes through these functions: atomic, audited, permission-checked."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import diff, record, snapshot
from kechuang.codes import (
    CodeError,
    check_bank_account,
    check_credit_code,
    check_registration_number,
    normalise_name,
)
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import Cap, can_edit_organisation, has_cap
from kechuang.permissions.registry import (
    can_change_identity,
    can_record_indicator,
    can_request_identity_change,
    can_review_change_request,
    indicator_source_for,
)
from kechuang.registry.errors import RegistryError
from kechuang.registry.models import (
    IDENTITY_FIELDS,
    SOURCE_WEIGHT,
    Certification,
    EnterpriseSize,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Industry,
    Organisation,
    OrganisationChangeRequest,
    OrganisationKind,
    Region,
)

ORGANISATION_EDITABLE_FIELDS = (
    "credit_code",
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
    "bank_name",
    "bank_account",
)
NAME_FIELDS = ("name", "name_en", "bank_name", "contact_name", "address")
MAX_INDICATOR_VALUE = 10**15
FIRST_YEAR, LAST_YEAR = 1990, 2100


def check_organisation_fields(fields: dict) -> dict:
    """Normalise and validate user-supplied organisation fields; raise DomainError with a clear message."""
    cleaned = dict(fields)
    for name in NAME_FIELDS:
        if cleaned.get(name) is not None:
            try:
                cleaned[name] = normalise_name(cleaned[name])
            except CodeError as exc:
                raise DomainError(ErrorCode.INVALID, exc.message, {"field": name})
    if cleaned.get("bank_account") is not None:
        try:
            cleaned["bank_account"] = check_bank_account(cleaned["bank_account"])
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID, exc.message, {"field": "bank_account"})
    country = cleaned.get("country", "CN")
    if country != "CN":
        # an ASEAN organisation: its own registration number, validated for its country; no credit code
        try:
            cleaned["registration_number"] = check_registration_number(
                country, cleaned.get("registration_type", ""), cleaned.get("registration_number", "")
            )
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID, exc.message, {"field": "registration_number"})
        cleaned["credit_code"] = ""
        if cleaned.get("region") is None:
            cleaned["region"] = country
    elif "credit_code" in cleaned:
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
    for name, choices in (("kind", OrganisationKind), ("size", EnterpriseSize)):
        if name in cleaned and cleaned[name] not in choices.values:
            raise DomainError(
                ErrorCode.INVALID,
                _("无效的取值“%(value)s”。") % {"value": str(cleaned[name])[:40]},
                {"field": name},
            )
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
    if cleaned.get("registration_number"):
        if Organisation.objects.filter(
            country=cleaned["country"],
            registration_type=cleaned["registration_type"],
            registration_number=cleaned["registration_number"],
        ).exists():
            raise DomainError(
                ErrorCode.CONFLICT,
                _("登记号 %(code)s 已登记。") % {"code": cleaned["registration_number"]},
                {"field": "registration_number"},
                status=409,
            )
    elif Organisation.objects.filter(credit_code=cleaned["credit_code"]).exists():
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
        changes=diff(
            {},
            snapshot(
                org,
                (
                    "credit_code",
                    "country",
                    "registration_type",
                    "registration_number",
                    *ORGANISATION_EDITABLE_FIELDS,
                ),
            ),
        ),
    )
    return org


def _check_unique_credit_code(org: Organisation, changes: dict) -> None:
    if "credit_code" in changes:
        code = changes["credit_code"][1]
        if Organisation.objects.filter(credit_code=code).exclude(pk=org.pk).exists():
            raise DomainError(
                ErrorCode.DUPLICATE_CREDIT_CODE,
                _("统一社会信用代码 %(code)s 已登记。") % {"code": code},
                status=409,
            )


def _proposed_changes(org: Organisation, fields: dict, allowed) -> dict:
    """{field: [old, new]} of what `fields` would change on `org`, in stored form; nothing is saved."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(org, allowed)
    probe = Organisation.objects.get(pk=org.pk)
    for name, value in check_organisation_fields(fields).items():
        setattr(probe, name, value)
    return diff(before, snapshot(probe, allowed))


@transaction.atomic
def do_update_organisation(org: Organisation, *, acting_user, **fields) -> Organisation:
    """Change an organisation. Identity fields (kind, name, credit code, region, size, active status, bank
    account) change here only for an official covering the organisation; its own users file a change request."""
    if acting_user is not None and not can_edit_organisation(acting_user, org):
        raise PermissionDenied("registry.org:edit")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    changes = _proposed_changes(org, fields, ORGANISATION_EDITABLE_FIELDS)
    if not changes:
        return org
    identity = sorted(set(changes) & set(IDENTITY_FIELDS))
    if identity and acting_user is not None and not can_change_identity(acting_user, org):
        raise DomainError(
            RegistryError.REVIEW_REQUIRED,
            _(
                "名称、类型、信用代码、地区、规模、状态和银行账户须提交变更申请，经主管部门审核后生效：%(fields)s"
            )
            % {"fields": "、".join(str(Organisation._meta.get_field(f).verbose_name) for f in identity)},
            {"fields": identity},
            status=403,
        )
    _check_unique_credit_code(org, changes)
    for name, value in check_organisation_fields(fields).items():
        setattr(org, name, value)
    org.refresh_derived_fields()
    org.save()
    record("registry.org.update", org, acting_user=acting_user, changes=changes)
    return org


@transaction.atomic
def do_request_organisation_change(
    org: Organisation, *, acting_user, explanation: str = "", **fields
) -> OrganisationChangeRequest:
    """An organisation asks to change its identity fields; an official covering it decides."""
    if not can_request_identity_change(acting_user, org):
        raise PermissionDenied("registry.org:request_change")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    changes = _proposed_changes(org, fields, IDENTITY_FIELDS)
    if not changes:
        raise DomainError(ErrorCode.INVALID, _("申请内容与现有信息相同，无需变更。"))
    _check_unique_credit_code(org, changes)
    if org.change_requests.filter(status=OrganisationChangeRequest.Status.PENDING).exists():
        raise DomainError(
            ErrorCode.CONFLICT, _("已有一份变更申请正在审核，请等待审核结果后再提交。"), status=409
        )
    request = OrganisationChangeRequest.objects.create(
        organisation=org, changes=changes, explanation=explanation.strip()[:2000], requested_by=acting_user
    )
    record(
        "registry.org.change_request",
        request,
        acting_user=acting_user,
        changes=changes,
        note=request.explanation[:255],
        organisation_id=org.pk,
    )
    return request


@transaction.atomic
def do_submit_organisation_edit(
    org: Organisation, *, acting_user, explanation: str = "", **fields
) -> tuple[Organisation, OrganisationChangeRequest | None]:
    """The edit page: an official covering the organisation changes everything directly; the organisation's own
    users change the harmless fields directly and file a change request for the identity fields that differ."""
    if acting_user is None or can_change_identity(acting_user, org):
        return do_update_organisation(org, acting_user=acting_user, **fields), None
    identity = {name: value for name, value in fields.items() if name in IDENTITY_FIELDS}
    rest = {name: value for name, value in fields.items() if name not in IDENTITY_FIELDS}
    org = do_update_organisation(org, acting_user=acting_user, **rest)
    if not _proposed_changes(org, identity, IDENTITY_FIELDS):
        return org, None
    return org, do_request_organisation_change(
        org, acting_user=acting_user, explanation=explanation, **identity
    )


@transaction.atomic
def do_decide_organisation_change(
    change_request: OrganisationChangeRequest, *, approve: bool, note: str = "", acting_user
) -> OrganisationChangeRequest:
    """Approve (the changes apply, old and new values audited) or refuse with a reason."""
    change_request = (
        OrganisationChangeRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=change_request.pk)
    )
    if not can_review_change_request(acting_user, change_request):
        raise PermissionDenied("registry.org:review_change")
    if change_request.status != OrganisationChangeRequest.Status.PENDING:
        raise StateError(_("该申请已审核，不能重复处理。"))
    note = note.strip()
    if not approve and not note:
        raise DomainError(ErrorCode.INVALID, _("驳回时请填写理由。"), {"field": "note"})
    org = Organisation.objects.select_for_update().get(pk=change_request.organisation_id)
    if approve:
        changes = change_request.changes
        now = snapshot(org, list(changes))
        stale = [name for name, (old, _new) in changes.items() if now[name] != old]
        if stale:
            raise StateError(_("申请提交后机构信息已有变化，请驳回后由机构重新申请。"), {"fields": stale})
        _check_unique_credit_code(org, changes)
        fields = {name: new for name, (_old, new) in changes.items()}
        for name, value in check_organisation_fields(fields).items():
            setattr(org, name, value)
        org.refresh_derived_fields()
        org.save()
        record(
            "registry.org.identity_change",
            org,
            acting_user=acting_user,
            changes=changes,
            note=_("变更申请 #%(id)s") % {"id": change_request.pk},
        )
    old_status = change_request.status
    change_request.status = (
        OrganisationChangeRequest.Status.APPROVED if approve else OrganisationChangeRequest.Status.REFUSED
    )
    change_request.decided_by = acting_user
    change_request.decided_at = timezone.now()
    change_request.decision_note = note[:2000]
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        "registry.org.change_request.decide",
        change_request,
        acting_user=acting_user,
        changes={"status": [old_status, change_request.status]},
        note=note[:255],
        organisation_id=org.pk,
    )
    return change_request


@dataclass(frozen=True)
class IndicatorChange:
    created: bool
    superseded: IndicatorValue | None


def check_indicator_value(indicator: Indicator, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(ErrorCode.INVALID, _("指标“%(name)s”的数值必须是整数。") % {"name": indicator.name})
    if value < 0:
        raise DomainError(ErrorCode.INVALID, _("指标“%(name)s”的数值不能为负数。") % {"name": indicator.name})
    if value > MAX_INDICATOR_VALUE:
        raise DomainError(
            ErrorCode.INVALID, _("指标“%(name)s”的数值超出合理范围。") % {"name": indicator.name}
        )
    return value


def check_source_may_replace(indicator: Indicator, year: int, source: str, current_source: str) -> None:
    """A figure replaces the current one only from a source of equal or higher weight (bureau > official >
    organisation), so an organisation's own figure never overwrites a bureau's."""
    if SOURCE_WEIGHT[source] < SOURCE_WEIGHT[current_source]:
        raise DomainError(
            RegistryError.AUTHORITATIVE_VALUE,
            _(
                "%(year)s 年度“%(name)s”已由%(current)s提供，不能以%(mine)s的数据覆盖；如有异议，请联系%(current)s更正。"
            )
            % {
                "year": year,
                "name": indicator.name,
                "current": IndicatorSource(current_source).label,
                "mine": IndicatorSource(source).label,
            },
            {"source": current_source},
            status=409,
        )


def writer_source(acting_user, requested: str | None = None) -> str:
    """The source a writer's figures carry; asking for another one is refused."""
    source = indicator_source_for(acting_user)
    if requested not in (None, "", source):
        raise DomainError(
            RegistryError.SOURCE_NOT_ALLOWED,
            _("数据来源由录入账号所属部门决定：本账号的数据来源为“%(source)s”，不能录入为“%(asked)s”。")
            % {
                "source": IndicatorSource(source).label,
                "asked": IndicatorSource(requested).label
                if requested in IndicatorSource.values
                else str(requested)[:40],
            },
            {"source": source},
            status=403,
        )
    return source


@transaction.atomic
def do_record_indicator(
    org,
    indicator_code: str,
    year: int,
    value: int,
    *,
    acting_user,
    source: str | None = None,
    reference: str = "",
) -> IndicatorChange:
    """Record a yearly figure. An equal figure changes nothing; a different one supersedes the old, which is kept.

    The source is the writer's (`permissions.registry.indicator_source_for`); only system writers
    (`acting_user=None`: seeding, the platform's own jobs) name it."""
    if acting_user is not None and not can_record_indicator(acting_user, org):
        raise PermissionDenied("registry.indicator:edit")
    if acting_user is not None:
        source = writer_source(acting_user, source)
    elif source not in IndicatorSource.values:
        raise ValueError(f"a system write must name a known source, not {source!r}")
    indicator = Indicator.objects.filter(pk=indicator_code).first()
    if indicator is None:
        raise DomainError(ErrorCode.INVALID, _("未知的指标：%(code)s") % {"code": str(indicator_code)[:40]})
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            ErrorCode.INVALID,
            _("年度应为 %(first)d–%(last)d 之间的四位整数。") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    value = check_indicator_value(indicator, value)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(organisation=org, indicator=indicator, year=year, is_current=True)
        .first()
    )
    if (
        current is not None
        and current.value == value
        and SOURCE_WEIGHT[source] <= SOURCE_WEIGHT[current.source]
    ):
        return IndicatorChange(created=False, superseded=None)
    if current is not None:
        check_source_may_replace(indicator, year, source, current.source)
        current.is_current = False
        current.superseded_at = timezone.now()
        current.save(update_fields=["is_current", "superseded_at"])
    recorder = acting_user if acting_user is not None and acting_user.is_authenticated else None
    IndicatorValue.objects.create(
        organisation=org,
        indicator=indicator,
        year=year,
        value=value,
        source=source,
        reference=str(reference or "")[:200],
        recorded_by=recorder,
    )
    record(
        "registry.indicator.record",
        org,
        acting_user=acting_user,
        changes={
            f"{indicator.code}:{year}": [current.value if current else None, value],
            **(
                {"source": [current.source if current else None, source]}
                if not current or current.source != source
                else {}
            ),
        },
        note=str(reference or "")[:255],
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


def current_indicator_series(org, sources: dict | None = None) -> dict[str, dict[int, int]]:
    """{indicator_code: {year: value}} of the current figures, for the detail page and its chart; `sources`, if
    given, receives {indicator_code: {year: source}}."""
    series: dict[str, dict[int, int]] = {}
    rows = IndicatorValue.objects.filter(organisation=org, is_current=True).values_list(
        "indicator_id", "year", "value", "source"
    )
    for code, year, value, source in rows:
        series.setdefault(code, {})[year] = value
        if sources is not None:
            sources.setdefault(code, {})[year] = source
    return series


@transaction.atomic
def do_record_platform_figures(
    indicator_code: str, year: int, values: dict[int, int], *, reference: str
) -> int:
    """Many organisations' yearly figures written by the platform itself (source "platform", no acting user), with the
    same rules as `do_record_indicator` — an equal figure changes nothing, a different one supersedes the current one,
    which is kept — in a few statements instead of a few per organisation, and one audit entry per changed figure.
    `values` is {organisation id: value}. Returns how many figures were written."""
    from kechuang.audit.models import AuditEntry
    from kechuang.audit.services import SYSTEM_LABEL

    source = IndicatorSource.PLATFORM
    indicator = Indicator.objects.filter(pk=indicator_code).first()
    if indicator is None:
        raise DomainError(ErrorCode.INVALID, _("未知的指标：%(code)s") % {"code": str(indicator_code)[:40]})
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            ErrorCode.INVALID,
            _("年度应为 %(first)d–%(last)d 之间的四位整数。") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    values = {int(org): check_indicator_value(indicator, value) for org, value in values.items()}
    current = {}
    ids = list(values)
    for start in range(0, len(ids), 900):
        for row in IndicatorValue.objects.select_for_update().filter(
            organisation_id__in=ids[start : start + 900], indicator=indicator, year=year, is_current=True
        ):
            current[row.organisation_id] = row
    changed = [
        org
        for org, value in values.items()
        if org not in current
        or current[org].value != value
        or SOURCE_WEIGHT[source] > SOURCE_WEIGHT[current[org].source]
    ]
    for org in changed:
        if org in current:
            check_source_may_replace(indicator, year, source, current[org].source)
    replaced = [current[org].pk for org in changed if org in current]
    now = timezone.now()
    for start in range(0, len(replaced), 900):
        IndicatorValue.objects.filter(pk__in=replaced[start : start + 900]).update(
            is_current=False, superseded_at=now
        )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                organisation_id=org,
                indicator=indicator,
                year=year,
                value=values[org],
                source=source,
                reference=str(reference or "")[:200],
            )
            for org in changed
        ],
        batch_size=2000,
    )
    names = dict(Organisation.objects.filter(pk__in=changed).values_list("pk", "name")) if changed else {}
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=None,
                actor_label=SYSTEM_LABEL,
                action="registry.indicator.record",
                target_type="registry.organisation",
                target_id=str(org),
                target_label=names.get(org, "")[:255],
                organisation_id=org,
                changes={
                    f"{indicator.code}:{year}": [current[org].value if org in current else None, values[org]],
                    **(
                        {"source": [current[org].source if org in current else None, source]}
                        if org not in current or current[org].source != source
                        else {}
                    ),
                },
                note=str(reference or "")[:255],
            )
            for org in changed
        ],
        batch_size=2000,
    )
    return len(changed)
