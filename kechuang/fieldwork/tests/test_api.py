"""The field-work API calls the same services with the same permission rules as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.fieldwork.tests.test_fieldwork import recorder, team, university, wuming  # noqa: F401

pytestmark = pytest.mark.django_db
JSON = "application/json"
TODAY = timezone.localdate()


def _activity(**extra):
    return {
        "kind": "training",
        "date": str(TODAY - dt.timedelta(days=2)),
        "county": "450110",
        "title": "甘蔗良种良法培训",
        "venue": "武鸣区农技站",
        "capacity": 100,
        "attendees": 80,
        "signin_evidence": "QD-001",
        **extra,
    }


def test_the_log_from_plan_to_confirmed_totals(client, team, recorder, wuming, liuzhou_reviewer, reviewer):  # noqa: F811
    client.force_login(recorder)
    year = TODAY.year
    plan = client.post(
        f"/api/fieldwork/teams/{team.pk}/plans",
        {"year": year, "trainings": 2, "trainees": 100},
        content_type=JSON,
    )
    assert plan.status_code == 200 and plan.json()["plans"][0]["trainings"] == 2
    url = f"/api/fieldwork/teams/{team.pk}/activities"
    over = client.post(url, _activity(attendees=101), content_type=JSON)
    assert over.status_code == 422 and over.json()["code"] == "activity_attendees_over_capacity"
    outside = client.post(url, _activity(county="450203"), content_type=JSON)
    assert outside.status_code == 422 and outside.json()["code"] == "activity_outside_team_counties"
    created = client.post(url, _activity(), content_type=JSON)
    assert created.status_code == 201, created.content
    activity_id = created.json()["id"]
    confirm = f"/api/fieldwork/activities/{activity_id}/confirm"
    assert client.post(confirm, {"confirmed": True}, content_type=JSON).status_code == 404  # not the county
    client.force_login(liuzhou_reviewer)
    assert client.post(confirm, {"confirmed": True}, content_type=JSON).status_code == 404
    client.force_login(wuming)
    assert [a["id"] for a in client.get("/api/fieldwork/activities/to-confirm").json()] == [activity_id]
    assert client.post(confirm, {"confirmed": True}, content_type=JSON).json()["state"] == "confirmed"
    [row] = client.get(f"/api/fieldwork/totals?year={year}").json()
    assert row["label"] == "武鸣区" and row["trainings"] == 1 and row["trainees"] == 80
    assert (
        client.post(
            f"/api/fieldwork/teams/{team.pk}/appraisals", {"year": year}, content_type=JSON
        ).status_code
        == 403
    )
    client.force_login(reviewer)
    appraisal = client.post(f"/api/fieldwork/teams/{team.pk}/appraisals", {"year": year}, content_type=JSON)
    assert appraisal.status_code == 201 and appraisal.json()["explanation"][-1]["code"] == "grade"


def test_teams_are_set_up_by_province_wide_officials_with_county_codes(client, reviewer, university, wuming):  # noqa: F811
    body = {
        "name": "芒果产业专家服务团",
        "industry": "芒果",
        "lead_organisation_id": university.pk,
        "counties": ["450110"],
        "members": [{"name": "黄芒", "commissioner": True}],
    }
    client.force_login(wuming)
    assert client.post("/api/fieldwork/teams", body, content_type=JSON).status_code == 403
    client.force_login(reviewer)
    city = client.post("/api/fieldwork/teams", body | {"counties": ["450100"]}, content_type=JSON)
    assert city.status_code == 422 and city.json()["code"] == "team_region_not_a_county"
    created = client.post("/api/fieldwork/teams", body, content_type=JSON)
    assert created.status_code == 201 and created.json()["members"][0]["commissioner"] is True
