"""The talent and platforms modules, counted when installed (skipped until they are)."""

import datetime as dt

import pytest
from django.apps import apps

from kechuang.kpi import compute, services

AS_OF = dt.date(2026, 1, 1)


def kpi(code):
    services.ensure_definitions()
    d = next(x for x in services.current_definitions(AS_OF) if x.code == code)
    return d, compute.compute_kpi(d, AS_OF, services.city_names())


@pytest.mark.django_db
def test_national_platforms_count_by_approval_year(known):
    if not apps.is_installed("kechuang.platforms"):
        pytest.skip("the platforms app is not installed")
    from kechuang.platforms.models import Platform

    # a platform known by its approval year counts on 1 January of it (with an approval date, on that date)
    dated = {f.name for f in Platform._meta.get_fields()} >= {"approved_on"}
    for name, level, year, host in (
        ("国家重点实验室甲", "national", 2018, known["a"]),
        ("国家工程技术研究中心乙", "national", 2020, known["c"]),
        ("自治区重点实验室丙", "regional", 2019, known["a"]),
        ("国家重点实验室丁", "national", 2017, known["b"]),
        ("国家重点实验室戊", "national", 2021, known["b"]),
    ):
        extra = {"approved_on": dt.date(year, 1, 1)} if dated else {}
        Platform.objects.create(
            name=name,
            kind="key_lab",
            level=level,
            host=host,
            host_name=host.name,
            approved_year=year,
            **extra,
        )
    d, k = kpi("national_platforms")
    assert k["counted"] == 2
    assert {m["month"]: m["n"] for m in k["months"] if m["n"]} == {"2018-01": 1, "2020-01": 1}
    rows = compute.explain_event_rows(
        d.content, list(compute.event_records(d.content, AS_OF, city="450200", month=None))
    )
    assert [r["values"]["name"] for r in rows] == ["国家工程技术研究中心乙"]


@pytest.mark.django_db
def test_talents_count_recognitions_in_the_period(known, admin_user):
    if not apps.is_installed("kechuang.talent"):
        pytest.skip("the talent app is not installed")
    from kechuang.talent.models import Person, TalentApplication

    for n, (status, recognised, employer) in enumerate(
        (
            ("recognised", dt.date(2019, 3, 1), known["a"]),
            ("left", dt.date(2020, 6, 1), known["c"]),
            ("recognised", dt.date(2021, 1, 5), known["a"]),
            ("rejected", None, known["b"]),
        )
    ):
        person = Person.objects.create(name=f"人才{n}", id_key=f"key{n}", id_tail="0000")
        TalentApplication.objects.create(
            person=person,
            employer=employer,
            level="B",
            contract_start=dt.date(2019, 1, 1),
            contract_end=dt.date(2024, 1, 1),
            status=status,
            rules_version="test",
            recognised_on=recognised,
            created_by=admin_user,
        )
    _d, k = kpi("talents_teams")
    assert k["counted"] == 2 and k["state"] != "not_computable"


@pytest.mark.django_db
def test_talents_and_teams_count_bagui_scholars_and_each_person_once(known, admin_user):
    """八桂学者 (natural sciences) count; a person both recognised and appointed counts once, on the earlier date;
    social-science scholars, and people who were already talents before the period, do not count."""
    if not apps.is_installed("kechuang.talent"):
        pytest.skip("the talent app is not installed")
    from kechuang.talent.models import BaguiAppointment, BaguiPost, Person, TalentApplication

    def person(n):
        return Person.objects.create(name=f"学者{n}", id_key=f"bagui{n}", id_tail="0000")

    def appoint(who, start, *, field="natural", unit=None):
        post = BaguiPost.objects.create(
            unit=unit or known["c"],
            title=f"岗位{who.pk}",
            discipline="材料",
            field=field,
            team="团队",
            matching_fen=0,
            state="filled",
            year=start.year,
        )
        return BaguiAppointment.objects.create(
            post=post, person=who, state="contracted", contract_start=start
        )

    def recognise(who, on):
        return TalentApplication.objects.create(
            person=who,
            employer=known["a"],
            level="C",
            contract_start=on,
            contract_end=on.replace(year=on.year + 5),
            status="recognised",
            rules_version="test",
            recognised_on=on,
            created_by=admin_user,
        )

    scholar, both, social, earlier = person(1), person(2), person(3), person(4)
    appoint(scholar, dt.date(2019, 7, 1))  # Liuzhou (C's post): counts in 2019-07
    recognise(both, dt.date(2020, 2, 1))  # Nanning (A): counts once, on the earlier date
    appoint(both, dt.date(2018, 9, 1), unit=known["b"])  # Liuzhou, 2018-09: the earlier one
    appoint(social, dt.date(2019, 3, 1), field="social")  # not the department's scholars
    appoint(earlier, dt.date(2017, 5, 1))  # a talent before the period …
    recognise(earlier, dt.date(2019, 5, 1))  # … is not newly recruited by it

    d, k = kpi("talents_teams")
    assert d.content["lead_department"] == "science"
    assert k["counted"] == 2
    assert {m["month"]: m["n"] for m in k["months"] if m["n"]} == {"2018-09": 1, "2019-07": 1}
    assert {c["city"]: c["n"] for c in k["cities"] if c["n"]} == {"450200": 2}
    rows = compute.explain_event_rows(
        d.content, compute.event_records(d.content, AS_OF, city=None, month=None).head(10)
    )
    assert [r["label"] for r in rows] == ["学者2", "学者1"]
    assert "只计1个" in rows[0]["why"]
