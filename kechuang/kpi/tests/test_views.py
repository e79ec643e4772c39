"""Pages, permissions, versioning and the reports (figures equal to the dashboard's)."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.audit.models import AuditEntry
from kechuang.kpi import services
from kechuang.kpi.models import KpiDefinition, ReportTemplate

YEAR = 2019


@pytest.mark.django_db
def test_dashboard_for_officials_only(computed, login, admin_user, alice, client):
    url = reverse("kpi:dashboard") + f"?year={YEAR}"
    assert login(alice).get(url).status_code == 403
    client.logout()
    page = login(admin_user).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="kpi.new_hightech.value">2<' in html
    assert 'data-figure="techmarket.contracts">2<' in html  # 2019: the transfer and the consulting contract
    assert 'data-testid="computed-at"' in html


@pytest.mark.django_db
def test_city_official_sees_their_city_and_its_records_only(computed, login, liuzhou_reviewer):
    client = login(liuzhou_reviewer)
    html = client.get(reverse("kpi:dashboard") + f"?year={YEAR}&city=450100").content.decode()
    assert 'data-figure="kpi.new_hightech.value">1<' in html  # Liuzhou's C, whatever city is asked for
    records = client.get(reverse("kpi:records", args=["new_hightech"]) + "?city=450100").content.decode()
    assert "柳州丙材料有限公司" in records and "南宁甲科技有限公司" not in records
    assert client.get(reverse("kpi:definition_edit", args=["new_hightech"])).status_code == 403


@pytest.mark.django_db
def test_drill_down_pages_and_export(computed, login, admin_user):
    client = login(admin_user)
    html = client.get(
        reverse("kpi:records", args=["achievements_transferred"]) + "?month=2019-05"
    ).content.decode()
    assert html.count('data-testid="record-row"') == 1 and "2019450100000001" in html
    net = client.get(reverse("kpi:records", args=["hightech_net"])).content.decode()
    assert net.count('data-testid="record-row"') == 3 and "−1" in net
    export = client.get(reverse("kpi:records_export", args=["achievements_transferred"]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("kpi:completion_export") + f"?year={YEAR}").status_code == 200
    assert client.get(reverse("kpi:records", args=["no_such_kpi"])).status_code == 404
    assert client.get(reverse("kpi:records", args=["new_hightech"]) + "?month=bad").status_code == 404


@pytest.mark.django_db
def test_changing_a_definition_adds_an_audited_version(known, login, approver, reviewer):
    services.ensure_definitions()
    latest = KpiDefinition.objects.filter(code="new_hightech").order_by("-version").first()
    client = login(reviewer)
    assert client.get(reverse("kpi:definition_edit", args=["new_hightech"])).status_code == 403
    client = login(approver)
    text = latest.text.replace("first_only: true", "first_only: false")
    response = client.post(
        reverse("kpi:definition_edit", args=["new_hightech"]), {"text": text, "note": "含重新认定"}
    )
    assert response.status_code == 302
    new = KpiDefinition.objects.filter(code="new_hightech").order_by("-version").first()
    assert new.version == latest.version + 1 and new.content["counts"]["params"]["first_only"] is False
    entry = AuditEntry.objects.filter(action="kpi.definition.version", target_id=str(new.pk)).get()
    assert entry.actor == approver and "counts" in entry.changes
    # the new version counts re-recognitions too: B's renewal in 2018-01
    snapshot = services.do_refresh_snapshot(YEAR)
    k = next(k for k in snapshot.payload["kpis"] if k["code"] == "new_hightech")
    assert (k["version"], k["counted"]) == (new.version, 3)
    bad = client.post(reverse("kpi:definition_edit", args=["new_hightech"]), {"text": "code: [", "note": "x"})
    assert bad.status_code == 200 and KpiDefinition.objects.filter(code="new_hightech").count() == 2


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    return text, rows


def _normal(text: str) -> str:
    text = text.replace("%", "").replace("1 : ", "").replace(",", "").strip()
    return "—" if text == "【暂无数据】" else text  # no data, in the report's words and the dashboard's


@pytest.mark.django_db
def test_report_figures_equal_the_dashboard(computed, login, admin_user):
    client = login(admin_user)
    html = client.get(reverse("kpi:dashboard") + f"?year={YEAR}").content.decode()
    shown = {k: _normal(v) for k, v in re.findall(r'data-figure="([^"]+)">([^<]*)<', html)}
    response = client.get(
        reverse("kpi:report_download", args=["annual_reply", "docx"]) + f"?year={YEAR}&proposal_no=20200302"
    )
    assert response.status_code == 200
    text, rows = _docx_text(response.content)
    assert "第20200302号提案答复的函" in text
    annex = {row[1]: row[2] for row in rows[1:]}
    assert annex, "every figure used is listed in the annex"
    from kechuang.kpi.report_templates import figures

    figs = figures(services.latest_snapshot(YEAR).payload)
    checked = 0
    for key, fig in figs.items():
        base = key.rsplit(".", 1)[0] if key.endswith((".wan", ".yi")) else key
        if base not in shown or fig["label"] not in annex:
            continue
        value = _normal(annex[fig["label"]])
        if key.endswith(".yi"):
            assert Decimal(value) == (Decimal(shown[base]) / 10000).quantize(Decimal("0.01"))
        else:
            assert value == shown[base], key
        checked += 1
    assert checked >= 10
    assert "2" in annex["新增1000家高新技术企业"]
    pdf = client.get(reverse("kpi:report_download", args=["annual_reply", "pdf"]) + f"?year={YEAR}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_city_report_and_template_versions(computed, login, reviewer, liuzhou_reviewer):
    client = login(liuzhou_reviewer)
    assert client.get(reverse("kpi:report_download", args=["annual_reply", "docx"])).status_code == 403
    city = client.get(reverse("kpi:report_download", args=["city_report", "docx"]) + f"?year={YEAR}")
    text, _rows = _docx_text(city.content)
    assert "柳州市" in text and "新增高新技术企业1家" in text
    client = login(reviewer)
    services.ensure_templates()
    latest = ReportTemplate.objects.filter(code="city_report").order_by("-version").first()
    edited = latest.text.replace("根据平台记录", "根据科创平台记录")
    assert (
        client.post(
            reverse("kpi:template_edit", args=["city_report"]), {"text": edited, "note": "措辞"}
        ).status_code
        == 302
    )
    assert ReportTemplate.objects.filter(code="city_report").count() == 2
    unknown = latest.text.replace("{{ year }}", "{{ kpi.x.bogus }}", 1)
    page = client.post(reverse("kpi:template_edit", args=["city_report"]), {"text": unknown, "note": "x"})
    assert page.status_code == 200 and ReportTemplate.objects.filter(code="city_report").count() == 2


@pytest.mark.django_db
def test_navigation_and_workbench(known, login, admin_user, alice):
    from kechuang.web.navigation import nav_items
    from kechuang.web.workbench import todos_for

    assert any(i["url"] == reverse("kpi:dashboard") for i in nav_items(admin_user, "/"))
    assert not any(i["url"] == reverse("kpi:dashboard") for i in nav_items(alice, "/"))
    services.do_refresh_snapshot(YEAR)
    assert not [
        t for t in todos_for(admin_user) if t.area == "kpi"
    ]  # the period is over: not met, not behind


@pytest.mark.django_db
def test_api_figures(computed, client, admin_user, liuzhou_reviewer, alice):
    client.force_login(alice)
    assert client.get("/api/kpi/figures?year=2019").status_code == 403
    client.force_login(admin_user)
    body = client.get("/api/kpi/figures?year=2019").json()
    k = next(k for k in body["kpis"] if k["code"] == "new_hightech")
    assert (k["value"], k["basis"], body["city"]) == (2, "gross", None)
    assert any(f["key"] == "techmarket.contracts" and f["text"] == "2" for f in body["figures"])
    client.force_login(liuzhou_reviewer)
    body = client.get("/api/kpi/figures?year=2019").json()
    assert body["city"] == "450200"
    assert next(f for f in body["figures"] if f["key"] == "kpi.new_hightech.value")["text"] == "1"


@pytest.mark.django_db
def test_drill_down_pages_by_keyset(computed, login, admin_user, monkeypatch):
    """Next and previous pages are the records after / before the last one shown (no OFFSET); every record is
    reached once, in date order, and a tampered key is the first page, never an error."""
    from kechuang.kpi import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = login(admin_user)
    url = reverse("kpi:records", args=["achievements_transferred"])

    def page(query=""):
        html = client.get(url + query).content.decode()
        numbers = re.findall(r"\b(20\d{14})\b", html)
        following = re.search(r'rel="next" href="\?([^"]+)"', html)
        previous = re.search(r'rel="prev" href="\?([^"]+)"', html)
        return (
            numbers[0] if numbers else None,
            "?" + following.group(1).replace("&amp;", "&") if following else None,
            "?" + previous.group(1).replace("&amp;", "&") if previous else None,
        )

    seen, query = [], ""
    while True:
        number, following, previous = page(query)
        seen.append(number)
        if following is None:
            break
        query = following
    assert seen == ["2018450100000003", "2019450100000001", "2020450200000002"]  # by signing date
    assert page(previous)[0] == "2019450100000001"
    assert page("?last=1")[0] == "2020450200000002"
    assert page("?after=garbage")[0] == "2018450100000003"
    assert page("?page=2")[0] == "2019450100000001"  # numbered pages still work


@pytest.mark.django_db
def test_every_module_feeds_the_dashboard(computed, login, admin_user):
    """Rewards, pledge, market, events, awards, programme projects, high-tech enterprises, talent and platforms:
    each on the dashboard with its figures, a link to its records and (province-wide) a trend."""
    modules = {m["module"]: m for m in computed.payload["modules"][""]}
    expected = {
        "policy",
        "pledge",
        "techmarket",
        "events",
        "awards",
        "projects",
        "registry",
        "talent",
        "platforms",
    }
    assert expected <= set(modules)
    for code in expected:
        assert not modules[code].get("missing") and modules[code]["figures"], code
    trend_keys = set(computed.payload["trend"][-1]["figures"])
    for code in ("projects", "awards", "talent", "platforms"):
        assert any(key.startswith(f"{code}.") for key in trend_keys), code
    html = login(admin_user).get(reverse("kpi:dashboard") + f"?year={YEAR}").content.decode()
    for code in expected:
        assert f'data-module="{code}"' in html
    assert 'data-figure="projects.funded">2<' in html  # 2019's calls: the key R&D and the guidance project
