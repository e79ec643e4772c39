"""海外研发中心: a platform record per centre (host country, partner, outbound-investment filing) and its yearly
report (staff, new products, sales, patents). A centre may come from a programme project of that type."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions.projects import can_apply, can_manage_centre
from kechuang.projects.models import Application, OverseasCentre, OverseasReport, ProjectType

__all__ = ["do_register_centre", "do_report_centre"]

MAX_COUNT = 10**7


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha() or code == "CN":
        raise DomainError(
            ErrorCode.INVALID,
            _("所在国家（地区）应为境外的 ISO 两位代码。"),
            {"field": "host_country"},
            status=422,
        )
    return code


@transaction.atomic
def do_register_centre(
    *,
    acting_user,
    name: str,
    host_country: str,
    filing_no: str,
    established_on: dt.date,
    partner: str = "",
    city: str = "",
    application: Application | None = None,
) -> OverseasCentre:
    unit = acting_user.organisation
    if not can_apply(acting_user, unit):
        raise PermissionDenied("projects.apply")
    if not name.strip() or not filing_no.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写中心名称和境外投资备案（核准）文号。"), status=422)
    if established_on > timezone.localdate():
        raise DomainError(
            ErrorCode.INVALID, _("设立日期不能晚于今天。"), {"field": "established_on"}, status=422
        )
    if application is not None and (
        application.unit_id != unit.pk or application.project_type != ProjectType.OVERSEAS_CENTRE
    ):
        raise DomainError(ErrorCode.INVALID, _("关联项目应为本单位的海外研发中心建设项目。"), status=422)
    if OverseasCentre.objects.filter(organisation=unit, name=name.strip()).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该中心已登记。"), status=409)
    centre = OverseasCentre.objects.create(
        organisation=unit,
        name=name.strip()[:200],
        host_country=_country(host_country),
        city=city.strip()[:100],
        partner=partner.strip()[:200],
        filing_no=filing_no.strip()[:100],
        established_on=established_on,
        application=application,
        created_by=acting_user,
    )
    record(
        "projects.overseas.register",
        centre,
        acting_user=acting_user,
        organisation_id=unit.pk,
        changes={"host_country": [None, centre.host_country], "filing_no": [None, centre.filing_no]},
    )
    return centre


def _count(value, label) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise DomainError(ErrorCode.INVALID, _("%(label)s无效。") % {"label": label}, status=422)
    return value


@transaction.atomic
def do_report_centre(
    centre: OverseasCentre,
    *,
    acting_user,
    year: int,
    staff: int,
    new_products: int,
    sales_fen: int,
    patents: int,
) -> OverseasReport:
    """The yearly report; a later submission for the same year replaces the figures (old values audited)."""
    from kechuang.projects.services import _fen

    if not can_manage_centre(acting_user, centre):
        raise PermissionDenied("projects.apply")
    if not centre.established_on.year <= year <= timezone.localdate().year:
        raise DomainError(ErrorCode.INVALID, _("年度超出范围。"), {"field": "year"}, status=422)
    values = {
        "staff": _count(staff, _("人员")),
        "new_products": _count(new_products, _("新产品")),
        "sales_fen": _fen(sales_fen, _("销售收入")),
        "patents": _count(patents, _("专利")),
    }
    old = OverseasReport.objects.filter(centre=centre, year=year).values(*values).first()
    report, _created = OverseasReport.objects.update_or_create(
        centre=centre, year=year, defaults={**values, "submitted_by": acting_user}
    )
    record(
        "projects.overseas.report",
        report,
        acting_user=acting_user,
        organisation_id=centre.organisation_id,
        changes={k: [old.get(k) if old else None, v] for k, v in values.items()},
    )
    return report
