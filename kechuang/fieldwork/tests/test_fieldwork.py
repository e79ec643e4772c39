"""Expert service teams: refusals with reasons (over capacity, outside the team's counties, no sign-in, future date),
county confirmation by the county's own official, totals per county and year, and the appraisal explained."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.errors import DomainError
from kechuang.fieldwork import services
from kechuang.fieldwork.errors import FieldError
from kechuang.fieldwork.models import Activity
from kechuang.registry.models import OrganisationKind, Region
from kechuang.testing import make_org, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def university(db):
    return make_org("广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12")


@pytest.fixture
def team(reviewer, university):
    counties = Region.objects.filter(code__in=["450110", "450123"])  # 武鸣区, 隆安县
    return services.do_create_team(
        acting_user=reviewer,
        name="甘蔗产业专家服务团",
        industry="甘蔗",
        lead_organisation=university,
        counties=counties,
        members=[{"name": "韦建华", "organisation": university, "commissioner": True}],
    )


@pytest.fixture
def recorder(university):
    return make_user("gxu_admin", org=university, role=Role.ORG_ADMIN)


@pytest.fixture
def wuming(department):
    return make_user("wuming1", org=department, role=Role.REVIEWER, city="450110")


def record(team, user, **extra):
    values = {
        "kind": "training",
        "day": TODAY - dt.timedelta(days=3),
        "county": Region.objects.get(code="450110"),
        "title": "甘蔗良种良法培训",
        "venue": "武鸣区农技站",
        "capacity": 100,
        "attendees": 80,
        "handouts": 120,
        "signin_evidence": "QD-001",
    }
    values.update(extra)
    return services.do_record_activity(team, acting_user=user, **values)


def test_bad_activities_are_refused_with_their_reason(team, recorder):
    cases = [
        ({"attendees": 101}, FieldError.OVER_CAPACITY),
        ({"county": Region.objects.get(code="450103")}, FieldError.OUTSIDE_COUNTIES),
        ({"signin_evidence": ""}, FieldError.EVIDENCE_MISSING),
        ({"day": TODAY + dt.timedelta(days=1)}, FieldError.FUTURE_DATE),
    ]
    for extra, code in cases:
        with pytest.raises(DomainError) as exc:
            record(team, recorder, **extra)
        assert exc.value.code == code, extra
    assert Activity.objects.count() == 0


def test_the_database_refuses_attendees_over_capacity(team, recorder):
    activity = record(team, recorder)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(attendees=500)


def test_only_the_countys_official_confirms_and_only_confirmed_activities_count(
    team, recorder, wuming, liuzhou_reviewer
):
    a = record(team, recorder)
    b = record(team, recorder, attendees=50, handouts=10)
    with pytest.raises(PermissionDenied):
        services.do_confirm_activity(a, acting_user=liuzhou_reviewer, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.do_confirm_activity(a, acting_user=recorder, confirmed=True)
    services.do_confirm_activity(a, acting_user=wuming, confirmed=True, note="属实")
    services.do_confirm_activity(b, acting_user=wuming, confirmed=False, note="签到表与照片不符")
    [row] = services.totals(TODAY.year, by="county")
    assert (row["label"], row["trainings"], row["trainees"], row["handouts"]) == ("武鸣区", 1, 80, 120)


def test_appraisal_against_the_plan_is_explained(team, recorder, wuming, reviewer):
    services.do_set_plan(team, acting_user=recorder, year=TODAY.year, trainings=2, trainees=100, bases=1)
    a = record(team, recorder, day=dt.date(TODAY.year, 1, 2) if dt.date(TODAY.year, 1, 2) < TODAY else TODAY)
    services.do_confirm_activity(a, acting_user=wuming, confirmed=True)
    appraisal = services.do_appraise(team, acting_user=reviewer, year=TODAY.year)
    # trainings 1/2 = 50% × 50 = 25; trainees 80/100 = 80% × 30 = 24; bases 0/1 = 0
    assert appraisal.score == 49 and appraisal.grade == "fail"
    assert "完成 1 / 计划 2（50%）" in appraisal.explanation[0]["text"]


def test_pages(client, team, recorder, wuming, outsider):
    client.force_login(recorder)
    response = client.post(
        reverse("fieldwork:team_act", args=[team.pk]),
        {
            "action": "activity",
            "kind": "training",
            "date": (TODAY - dt.timedelta(days=1)).isoformat(),
            "county": "450110",
            "title": "培训",
            "venue": "农技站",
            "capacity": "50",
            "attendees": "60",
            "signin_evidence": "QD",
        },
        follow=True,
    )
    assert "超过场地容量" in response.content.decode() and Activity.objects.count() == 0
    client.post(
        reverse("fieldwork:team_act", args=[team.pk]),
        {
            "action": "activity",
            "kind": "training",
            "date": (TODAY - dt.timedelta(days=1)).isoformat(),
            "county": "450110",
            "title": "培训",
            "venue": "农技站",
            "capacity": "50",
            "attendees": "40",
            "signin_evidence": "QD",
        },
    )
    activity = Activity.objects.get()
    client.force_login(wuming)
    assert "待县级确认" in client.get(reverse("fieldwork:home")).content.decode()
    client.post(reverse("fieldwork:confirm", args=[activity.pk]), {"confirmed": "1"})
    activity.refresh_from_db()
    assert activity.state == "confirmed"
    assert client.get(reverse("fieldwork:export")).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("fieldwork:home")).status_code == 403
    assert client.get(reverse("fieldwork:team", args=[team.pk])).status_code == 404


def test_demo_seeds_through_the_services(db):
    from kechuang.fieldwork.demo import seed_demo
    from kechuang.registry.demo import create_demo_accounts, generate_province

    generate_province(enterprises=20, seed=5, years=range(2024, 2025), with_accounts=False)
    create_demo_accounts()
    assert "teams" in seed_demo(seed=5)
    assert Activity.objects.filter(state="confirmed").exists()
