"""Authorisation rules of platforms and institutions (kechuang.permissions.platforms). The world: 甲's application
for recognition as a new-type R&D institution, and 甲 entered into the classified evaluation. See
docs/permissions.md."""

from kechuang.permissions.matrix import (
    ENT_A,
    ENTERPRISES,
    EVERYONE,
    NANNING,
    NANNING_AREA,
    OFFICIALS,
    PROVINCE_OFFICIALS,
    allow,
)

APP = {"pk": "institution_application"}
INST = {"pk": "institution"}
API_APP = {"application_id": "institution_application"}
API_INST = {"institution_id": "institution"}

ROUTES = {
    "platforms:home": allow(
        OFFICIALS, ENTERPRISES, why="platforms.view for officials, platforms.apply for orgs"
    ),
    "platforms:import": allow(PROVINCE_OFFICIALS, why="province-wide officials import the ministries' lists"),
    "platforms:apply": allow(
        ENTERPRISES, why="an organisation administrator applies for its own organisation"
    ),
    "platforms:application": allow(NANNING_AREA, ENT_A, args=APP),
    "platforms:application_act": allow(NANNING_AREA, ENT_A, args=APP, why="the door; each action in ACTIONS"),
    "platforms:institution": allow(NANNING_AREA, ENT_A, args=INST),
    "platforms:report": allow(
        PROVINCE_OFFICIALS, ENT_A, args=INST, why="the institution itself, or managers"
    ),
    "platforms:evaluation": allow(PROVINCE_OFFICIALS),
    "platforms:evaluation_run": allow(PROVINCE_OFFICIALS),
    "platforms:export": allow(PROVINCE_OFFICIALS),
    "platforms:notice": allow(EVERYONE, why="公示 is public"),
    # The API: the same rules as the services the pages call, each operation with its own.
    "GET /api/platforms/records": allow(OFFICIALS, ENTERPRISES, why="as platforms:home"),
    "GET /api/platforms/applications": allow(OFFICIALS, ENTERPRISES),
    "POST /api/platforms/applications": allow(ENTERPRISES, why="platforms.apply for one's own organisation"),
    "GET /api/platforms/applications/{application_id}": allow(NANNING_AREA, ENT_A, args=API_APP),
    "POST /api/platforms/applications/{application_id}/recommend": allow(
        NANNING, args=API_APP, why="the city whose area covers the organisation recommends"
    ),
    "POST /api/platforms/applications/{application_id}/formal-check": allow(PROVINCE_OFFICIALS, args=API_APP),
    "POST /api/platforms/applications/{application_id}/decide": allow(PROVINCE_OFFICIALS, args=API_APP),
    "POST /api/platforms/applications/{application_id}/recognise": allow(PROVINCE_OFFICIALS, args=API_APP),
    "POST /api/platforms/notice": allow(PROVINCE_OFFICIALS),
    "GET /api/platforms/institutions": allow(OFFICIALS, ENTERPRISES),
    "GET /api/platforms/institutions/{institution_id}": allow(NANNING_AREA, ENT_A, args=API_INST),
    "POST /api/platforms/institutions/{institution_id}/reports": allow(
        PROVINCE_OFFICIALS, ENT_A, args=API_INST, why="the institution itself, or managers"
    ),
    "POST /api/platforms/institutes": allow(
        PROVINCE_OFFICIALS, body={"organisation_id": "@organisation", "category": "basic_research"}
    ),
    "GET /api/platforms/evaluations": allow(PROVINCE_OFFICIALS, query={"year": 2026}),
    "POST /api/platforms/evaluations/run": allow(PROVINCE_OFFICIALS),
    "POST /api/platforms/evaluations/expert-review": allow(PROVINCE_OFFICIALS),
    "POST /api/platforms/evaluations/notice": allow(PROVINCE_OFFICIALS),
    "POST /api/platforms/evaluations/finalise": allow(PROVINCE_OFFICIALS),
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.platforms import services

    ent_a = world.orgs["ent_a"]
    ent_a.established_on = timezone.localdate() - dt.timedelta(days=800)
    ent_a.save(update_fields=["established_on"])
    wan = 1_000_000
    app = services.do_apply_institution(
        acting_user=world.users["ent_a"],
        kind="new_rd",
        figures={
            "revenue_fen": 2000 * wan,
            "rd_spending_fen": 500 * wan,
            "staff": 100,
            "rd_staff": 40,
            "premises_m2": 1200,
        },
    )
    institution = services.do_register_institute(
        ent_a, acting_user=world.users["admin"], category="innovation_transfer"
    )
    return {"institution_application": app.pk, "institution": institution.pk, "organisation": ent_a.pk}
