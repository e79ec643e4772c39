"""Authorisation rules of the organisation registry. The world's organisation is 甲 (南宁); its change request
was filed by 甲's administrator. See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    ENT_A,
    ENTERPRISES,
    NANNING_AREA,
    OFFICIALS,
    REVIEWERS,
    SIGNED_IN,
    allow,
)

# registry.org:edit_any / registry.org:create / registry.import: reviewers and administrators; an edit or a
# decision on 甲 only by those whose area covers 南宁.
EDITORS = REVIEWERS | {ADMIN}
ORG = {"org_id": "org"}

ROUTES = {
    "registry:organisation_list": allow(SIGNED_IN, why="the list is filtered to what the user may see"),
    "registry:organisation_create": allow(EDITORS),
    "registry:organisation_export": allow(OFFICIALS),
    "registry:organisation_detail": allow(ENT_A, NANNING_AREA, args=ORG),
    "registry:organisation_edit": allow(ENT_A, EDITORS & NANNING_AREA, args=ORG),
    "registry:record_indicator": allow(ENT_A, EDITORS & NANNING_AREA, args=ORG),
    "registry:change_requests": allow(EDITORS, ENTERPRISES),
    "registry:change_request_decide": allow(EDITORS & NANNING_AREA, args={"request_id": "change_request"}),
    "registry:import": allow(EDITORS),
    "registry:import_template": allow(EDITORS, args={"kind": "organisations"}),
    "GET /api/registry/organisations": allow(SIGNED_IN),
    "GET /api/registry/statistics": allow(OFFICIALS),
    "GET /api/registry/organisations/{org_id}": allow(ENT_A, NANNING_AREA),
    "PATCH /api/registry/organisations/{org_id}": allow(ENT_A, EDITORS & NANNING_AREA),
    "POST /api/registry/organisations/{org_id}/change-requests": allow(
        ENT_A, body={"name": "南宁甲科技股份有限公司"}, why="officials covering 甲 change it directly"
    ),
    "GET /api/registry/change-requests": allow(SIGNED_IN),
    "POST /api/registry/change-requests/{request_id}/decision": allow(
        EDITORS & NANNING_AREA, args={"request_id": "change_request"}
    ),
    "GET /api/registry/organisations/{org_id}/indicators": allow(ENT_A, NANNING_AREA),
    "POST /api/registry/organisations/{org_id}/indicators": allow(
        ENT_A, EDITORS & NANNING_AREA, body={"indicator": "revenue", "year": 2024, "value": 1000}
    ),
    "POST /api/registry/imports": allow(EDITORS),
    "GET /api/registry/organisations.xlsx": allow(OFFICIALS),
}


def objects(world):
    from kechuang.registry.services import do_request_organisation_change

    org = world.orgs["ent_a"]
    change = do_request_organisation_change(
        org, acting_user=world.users["ent_a"], explanation="更名", name="南宁甲科技集团有限公司"
    )
    return {"org": org.pk, "change_request": change.pk}
