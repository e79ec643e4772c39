"""Authorisation rules of the field work (kechuang.permissions.fieldwork). The world: 广西大学's expert service team
serving 武鸣区 (南宁) and an activity there waiting for the county's confirmation. See docs/permissions.md."""

from kechuang.permissions.matrix import CITY_OFFICIALS, NANNING, OFFICIALS, PROVINCE_OFFICIALS, allow

TEAM = {"pk": "service_team"}
API_TEAM = {"team_id": "service_team"}

ROUTES = {
    "fieldwork:home": allow(
        OFFICIALS, why="fieldwork.view; lead organisations' administrators (none in the world)"
    ),
    "fieldwork:team": allow(OFFICIALS, args=TEAM, why="teams are province-wide records"),
    "fieldwork:team_act": allow(
        OFFICIALS, post=PROVINCE_OFFICIALS, args=TEAM, why="the lead organisation records; managers appraise"
    ),
    "fieldwork:confirm": allow(
        NANNING,
        args={"pk": "field_activity"},
        why="the county's or its city's official confirms (武鸣区 is 南宁's)",
    ),
    "fieldwork:export": allow(OFFICIALS),
    # The API: the same rules as the services the pages call.
    "GET /api/fieldwork/teams": allow(OFFICIALS, why="as fieldwork:home"),
    "POST /api/fieldwork/teams": allow(
        PROVINCE_OFFICIALS,
        body={"lead_organisation_id": "@lead", "counties": ["450110"], "name": "芒果产业专家服务团"},
        why="province-wide officials set up teams",
    ),
    "GET /api/fieldwork/teams/{team_id}": allow(OFFICIALS, args=API_TEAM),
    "POST /api/fieldwork/teams/{team_id}/plans": allow(
        PROVINCE_OFFICIALS, args=API_TEAM, why="the lead organisation (none in the world) or managers"
    ),
    "POST /api/fieldwork/teams/{team_id}/activities": allow(
        PROVINCE_OFFICIALS, args=API_TEAM, body={"county": "450110"}
    ),
    "POST /api/fieldwork/teams/{team_id}/appraisals": allow(PROVINCE_OFFICIALS, args=API_TEAM),
    "GET /api/fieldwork/activities/to-confirm": allow(CITY_OFFICIALS, why="officials of a city or county"),
    "POST /api/fieldwork/activities/{activity_id}/confirm": allow(
        NANNING, args={"activity_id": "field_activity"}, why="the county's or its city's official"
    ),
    "GET /api/fieldwork/totals": allow(OFFICIALS, query={"year": 2026}),
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.fieldwork import services
    from kechuang.registry.models import Region

    admin = world.users["admin"]
    county = Region.objects.get(code="450110")
    team = services.do_create_team(
        acting_user=admin,
        name="甘蔗产业专家服务团",
        industry="甘蔗",
        lead_organisation=world.orgs["university"],
        counties=[county],
    )
    activity = services.do_record_activity(
        team,
        acting_user=admin,
        kind="training",
        day=timezone.localdate() - dt.timedelta(days=1),
        county=county,
        title="甘蔗良种良法培训",
        venue="武鸣区农技站",
        capacity=100,
        attendees=80,
        signin_evidence="QD-1",
    )
    return {"service_team": team.pk, "field_activity": activity.pk, "lead": world.orgs["university"].pk}
