"""Authorisation rules of the KPIs and reports: officials read them (a city official its city's figures);
definitions and report templates are provincial. The world: the shipped definitions and report templates. See
docs/permissions.md."""

from kechuang.permissions.matrix import ADMIN, APPROVER, OFFICIALS, PROVINCE_OFFICIALS, allow

KPI = {"code": "new_hightech"}

ROUTES = {
    "kpi:dashboard": allow(OFFICIALS),
    "kpi:refresh": allow(OFFICIALS),
    "kpi:progress": allow(OFFICIALS),
    "kpi:completion_export": allow(OFFICIALS),
    "kpi:definitions": allow(OFFICIALS),
    "kpi:definition_edit": allow(APPROVER, ADMIN, args=KPI, why="kpi.definition:edit, province-wide"),
    "kpi:reports": allow(OFFICIALS),
    "kpi:report_download": [
        allow(
            PROVINCE_OFFICIALS,
            args={"code": "annual_reply", "fmt": "docx"},
            why="the province's annual reply",
        ),
        allow(OFFICIALS, args={"code": "city_report", "fmt": "docx"}),
    ],
    "kpi:template_edit": allow(PROVINCE_OFFICIALS, args={"code": "annual_reply"}, why="kpi.template:edit"),
    "kpi:detail": allow(OFFICIALS, args=KPI),
    "kpi:records": allow(OFFICIALS, args=KPI),
    "kpi:records_export": allow(OFFICIALS, args=KPI),
    "GET /api/kpi/figures": allow(OFFICIALS),
}


def objects(world):
    from kechuang.kpi import services

    services.ensure_definitions()
    services.ensure_templates()
    return {}
