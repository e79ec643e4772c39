"""Who may see the KPIs and reports, change their definitions and templates.

Officials see the dashboard; a city (or county) official sees their city's figures and records only. Definitions
and report templates are provincial: only province-wide officials change them (the S&T department's approvers
and the administrators the definitions, which decide what is counted; reviewers too the templates, which only
word the reports).
"""

from django.core.exceptions import PermissionDenied

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, department_of, grant, has_cap


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
    """The S&T department's KPIs: its province-wide approvers (and administrators) decide what is counted, not
    another department's approver (the 财政厅's concurs on money, not on the S&T targets)."""
    if not has_cap(user, KpiCap.EDIT_DEFINITIONS) or user.city_id:
        return False
    return user.role == Role.ADMIN or getattr(department_of(user), "department_type", "") == "science"


def can_edit_templates(user) -> bool:
    return has_cap(user, KpiCap.EDIT_TEMPLATES) and not user.city_id


def can_generate_reports(user) -> bool:
    return has_cap(user, KpiCap.REPORT)


def can_refresh(user) -> bool:
    return has_cap(user, KpiCap.REFRESH)
