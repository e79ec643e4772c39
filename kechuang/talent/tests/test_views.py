"""Pages: who may open what, the application form's refusals shown, the actions table, the public notice without
login, the export, and the demo data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.talent.models import Status, TalentApplication
from kechuang.talent.tests.conftest import TODAY, id_number

pytestmark = pytest.mark.django_db


def form(seq=1, **extra):
    data = {
        "name": f"人才{seq}",
        "id_number": id_number(seq),
        "level": "C",
        "basis": "catalogue",
        "credential": "jieqing",
        "contract_start": (TODAY - dt.timedelta(days=10)).isoformat(),
        "contract_end": (TODAY + dt.timedelta(days=2000)).isoformat(),
        "evidence_contract": "HT-1",
        "evidence_social_insurance": "SB-1",
        "evidence_tax": "GS-1",
    }
    data.update(extra)
    return data


def test_employer_applies_and_sees_only_its_own(client, alice, bob):
    client.force_login(alice)
    response = client.post(reverse("talent:apply"), form())
    app = TalentApplication.objects.get()
    assert response.status_code == 302 and response.url == reverse("talent:application", args=[app.pk])
    client.force_login(bob)  # a member of another organisation
    assert client.get(reverse("talent:application", args=[app.pk])).status_code in (403, 404)


def test_missing_evidence_is_shown_and_nothing_is_created(client, alice):
    client.force_login(alice)
    response = client.post(reverse("talent:apply"), form(evidence_tax=""), follow=True)
    assert TalentApplication.objects.count() == 0
    assert "个人所得税" in response.content.decode()


def test_pages_refuse_outsiders_and_the_public_notice_needs_no_login(client, outsider, recognise, reviewer):
    assert client.get(reverse("talent:home")).status_code == 302  # to login
    client.force_login(outsider)
    for name in ("talent:home", "talent:apply", "talent:benefits", "talent:export"):
        assert client.get(reverse(name)).status_code == 403, name
    client.logout()
    assert client.get(reverse("talent:notice")).status_code == 200


def test_the_officials_pages_and_actions(client, apply_for, qingxiu, reviewer):
    app = apply_for(1)
    client.force_login(qingxiu)
    page = client.get(reverse("talent:application", args=[app.pk])).content.decode()
    assert 'value="precheck_pass"' in page and 'value="recognise"' not in page
    client.post(reverse("talent:act", args=[app.pk]), {"action": "precheck_pass", "note": "ok"})
    app.refresh_from_db()
    assert app.status == Status.PRECHECKED
    # an action the state does not offer is refused with one message, nothing changes
    client.post(reverse("talent:act", args=[app.pk]), {"action": "certify"})
    app.refresh_from_db()
    assert app.status == Status.PRECHECKED
    client.force_login(reviewer)
    client.post(reverse("talent:act", args=[app.pk]), {"action": "recognise"})
    client.post(reverse("talent:benefits_run"), {"action": "notice", "year": "0"})
    app.refresh_from_db()
    assert app.status == Status.NOTICE
    public = client.get(reverse("talent:notice")).content.decode()
    assert app.person.name in public and app.person.id_tail not in public.replace(
        app.employer.credit_code, ""
    )
    assert client.get(reverse("talent:benefits")).status_code == 200
    export = client.get(reverse("talent:export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_navigation_and_workbench_show_talent(client, apply_for, qingxiu):
    apply_for(1)
    client.force_login(qingxiu)
    page = client.get("/").content.decode()
    assert reverse("talent:home") in page
    assert "待初审" in page


def test_demo_seeds_through_the_services(db):
    from kechuang.registry.demo import create_demo_accounts, generate_province
    from kechuang.talent.demo import seed_demo
    from kechuang.talent.models import BaguiAppointment, BenefitSchedule

    generate_province(enterprises=20, seed=3, years=range(2024, 2025), with_accounts=False)
    create_demo_accounts()
    assert "certified" in seed_demo(seed=3)
    assert TalentApplication.objects.filter(status=Status.RECOGNISED).exists()
    assert TalentApplication.objects.filter(status=Status.NOTICE).exists()
    assert BenefitSchedule.objects.exists()
    assert BaguiAppointment.objects.filter(state="contracted").count() == 1
    assert seed_demo(seed=3) == "already present"


def test_the_kpi_monitor_counts_recognitions_with_reasons(recognise):
    from kechuang.kpi.headlines import collect
    from kechuang.kpi.sources import all_sources, check_params

    app = recognise(1)
    source = all_sources()["talent.recognitions"]
    day = app.recognised_on
    rows = list(
        source.records(check_params(source, {}), day.replace(month=1, day=1), day).values(*source.fields)
    )
    assert [r["id"] for r in rows] == [app.pk]
    assert app.certificate_no in source.explain(rows[0], {})
    modules = {m["module"]: m for m in collect(year=day.year, city=None)}
    figures = {f["key"]: f["value"] for f in modules["talent"]["figures"]}
    assert figures["recognised"] == 1


def test_bagui_pages_from_post_to_contract(client, alice, reviewer, outsider, experts):
    from kechuang.talent.expert_review import play_review
    from kechuang.talent.models import BaguiAppointment, BaguiPost

    client.force_login(alice)
    client.post(
        reverse("talent:bagui"),
        {
            "title": "亚热带作物育种首席",
            "discipline": "作物遗传育种",
            "field": "natural",
            "team": "甘蔗育种团队 12 人，国家产业技术体系岗位",
            "matching": "200",
        },
    )
    post = BaguiPost.objects.get()
    assert post.matching_fen == 200 * 1_000_000
    client.force_login(reviewer)
    act = reverse("talent:bagui_act", args=[post.pk])
    client.post(act, {"action": "approve", "note": "符合重点产业需求"})
    post.refresh_from_db()
    assert post.state == "applied"  # not before the experts' post review passed it
    play_review(post.review_submission, experts, [9, 8, 9])
    client.post(act, {"action": "approve", "note": "符合重点产业需求"})
    client.post(
        act,
        {
            "action": "applicant",
            "name": "黄志强",
            "id_number": id_number(9),
            "full_time": "1",
            "from_outside": "1",
        },
    )
    appt = BaguiAppointment.objects.get()
    client.post(act, {"action": "score", "appointment": appt.pk})
    appt.refresh_from_db()
    assert appt.written_score is None  # no expert has scored yet
    play_review(appt.review_submission, experts, [9, 9, 8])  # 书面评审
    play_review(appt.review_submission, experts, [10, 9, 9])  # 答辩
    client.post(act, {"action": "score", "appointment": appt.pk})
    appt.refresh_from_db()
    assert appt.written_score == Decimal("86.67") and appt.hearing_score == Decimal("93.33")
    client.post(act, {"action": "decide", "appointment": appt.pk, "document": "桂人才领〔2026〕5号"})
    appt.refresh_from_db()
    assert appt.state == "notice"
    client.logout()  # the 八桂学者 notice is public
    notice = client.get(reverse("talent:notice")).content.decode()
    assert "黄志强" in notice and "data-scholar" in notice and id_number(9) not in notice
    client.force_login(reviewer)
    page = client.get(reverse("talent:bagui_post", args=[post.pk])).content.decode()
    assert "签订五年聘用合同" in page
    client.force_login(outsider)
    assert client.get(reverse("talent:bagui_post", args=[post.pk])).status_code in (403, 404)
