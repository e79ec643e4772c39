"""Definitions and templates in words: labelled fields on the pages, labelled changes in the audit log, and the YAML
only in the source editor."""

import re

import pytest
from django.urls import reverse

from kechuang.audit.display import describe
from kechuang.audit.models import AuditEntry
from kechuang.kpi import services
from kechuang.kpi.models import KpiDefinition, ReportTemplate
from kechuang.web.tests.crawling import internal_findings


def shown_text(html: str) -> str:
    """What a reader sees, roughly: the page without its scripts, code samples, editors and tags."""
    html = re.sub(r"<(script|style|code|select)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(section|div)[^>]*data-internal-ok.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_definitions_page_shows_labelled_fields_and_no_yaml(known, login, approver):
    client = login(approver)
    html = client.get(reverse("kpi:definitions")).content.decode()
    for field in ("definition", "counts", "basis", "lead_department", "confidence", "evidence", "baseline"):
        assert f'data-field="{field}"' in html
    text = shown_text(html)
    assert internal_findings(text) == []
    assert "first_only" not in html and "registry.hightech_recognitions" not in html
    edit = client.get(reverse("kpi:definition_edit", args=["new_hightech"])).content.decode()
    assert 'data-field="counts"' in edit and "data-internal-ok" in edit and "first_only: true" in edit
    assert internal_findings(shown_text(edit)) == []


@pytest.mark.django_db
def test_definition_change_is_audited_as_labelled_changes(known, approver):
    services.ensure_definitions()
    latest = KpiDefinition.objects.filter(code="new_hightech").order_by("-version").first()
    text = latest.text.replace("first_only: true", "first_only: false").replace(
        "target: 1000", "target: 1200"
    )
    new = services.do_save_definition("new_hightech", text, note="含重新认定", acting_user=approver)
    entry = AuditEntry.objects.get(action="kpi.definition.version", target_id=str(new.pk))
    assert set(entry.changes) == {"counts", "target"}  # the entry keeps the stored fields
    shown = describe(entry)
    changes = {label: (old, new) for label, old, new in shown["changes"]}
    assert changes["目标"] == ("1,000", "1,200")
    assert changes["计入的记录 · 只计首次认定"] == ("是", "否")
    assert internal_findings(" ".join(f"{a} {b} {c}" for a, b, c in shown["changes"])) == []
    # the versions loaded from the shipped file are described the same way
    first = AuditEntry.objects.filter(action="kpi.definition.version").order_by("id").first()
    assert internal_findings(" ".join(f"{a} {b} {c}" for a, b, c in describe(first)["changes"])) == []


@pytest.mark.django_db
def test_template_change_is_audited_by_part_with_figures_in_words(known, reviewer, login):
    services.ensure_templates()
    services.do_refresh_snapshot(2019)
    latest = ReportTemplate.objects.filter(code="city_report").order_by("-version").first()
    edited = latest.text.replace("获科技奖励项目{{ awards.awarded }}项", "获科技奖励{{ awards.awarded }}项")
    new = services.do_save_template("city_report", edited, note="措辞", acting_user=reviewer)
    entry = AuditEntry.objects.get(action="kpi.template.version", target_id=str(new.pk))
    [(part, old, after)] = describe(entry)["changes"]
    assert part.startswith("正文")
    assert "【获奖项目】" in after and "{{" not in after
    assert internal_findings(f"{part} {old} {after}") == []
    page = login(reviewer).get(reverse("kpi:template_edit", args=["city_report"])).content.decode()
    assert "data-internal-ok" in page and internal_findings(shown_text(page)) == []
