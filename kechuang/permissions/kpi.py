"""Who may see the KPIs and reports, change their definitions and templates.

Officials see the dashboard; a city (or county) official sees their city's figures and records only. Definitions
and report templates are provincial: only province-wide officials change them (approvers and admins the
definitions, which decide what is counted; reviewers too the templates, which only word the reports).
"""

from django.core.exceptions import PermissionDenied

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap


class KpiCap:
    VIEW = "kpi:view"
    REPORT = "kpi.report:generate"
    REFRESH = "kpi:refresh"
    EDIT_DEFINITIONS = "kpi.definition:edit"
    EDIT_TEMPLATES = "kpi.template:edit"


grant([KpiCap.VIEW, KpiCap.REPORT, KpiCap.REFRESH], ALL_OFFICIALS)
grant([KpiCap.EDIT_TEMPLATES], (Role.REVIEWER, Role.APPROVER, Role.ADMIN))
grant([KpiCap.EDIT_DEFINITIONS], (Role.APPROVER, Role.ADMIN))


def can_view(user) -> bool:
    return has_cap(user, KpiCap.VIEW)


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDenied(KpiCap.VIEW)


def scope_city(user) -> str | None:
    """The city whose figures the user sees (a county official: their county's city); None for the province."""
    if not user.city_id:
        return None
    return user.city.city_code or user.city_id


def can_edit_definitions(user) -> bool:
    return has_cap(user, KpiCap.EDIT_DEFINITIONS) and not user.city_id


def can_edit_templates(user) -> bool:
    return has_cap(user, KpiCap.EDIT_TEMPLATES) and not user.city_id


def can_generate_reports(user) -> bool:
    return has_cap(user, KpiCap.REPORT)


def can_refresh(user) -> bool:
    return has_cap(user, KpiCap.REFRESH)
