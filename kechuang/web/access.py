"""Authorisation rules of the site's own routes (home, registration, navigation) and of Django's (admin, i18n,
the API's documentation). See kechuang/permissions/matrix.py and docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    EVERYONE,
    NANNING_AREA,
    NOBODY,
    PUBLIC,
    REVIEWERS,
    SIGNED_IN,
    allow,
)

# Officials who decide registrations (registry.org:create), within their area: a request from 南宁.
REGISTRARS = REVIEWERS | {ADMIN}

ROUTES = {
    "web:home": PUBLIC,
    "web:calculator": PUBLIC,
    "web:register": PUBLIC,
    "web:healthz": PUBLIC,
    "web:nav": allow(SIGNED_IN),
    "web:registration_list": allow(REGISTRARS),
    "web:registration_decide": allow(REGISTRARS & NANNING_AREA, args={"request_id": "registration_request"}),
    "set_language": PUBLIC,
    "api:api-root": allow(NOBODY, why="django-ninja's root answers 404; the documentation is /api/docs"),
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    # The admin site's door is for system administrators (is_staff = Role.ADMIN); what each of its lists shows
    # is Django's model permissions, which only superusers (none of the actors) hold. Its login and logout
    # pages are open (logging out a non-administrator only leads back to the admin's index).
    "admin:*": allow(NOBODY, why="Django model permissions: superusers only"),
    "admin:index": allow(ADMIN),
    "admin:pledge_*": allow(ADMIN, why="the pledge admin opens to Role.ADMIN (admin:site)"),
    "admin:login": allow(EVERYONE),
    "admin:logout": allow(EVERYONE, skip="logging out leads to a login page: nothing behind the door"),
}


def objects(world):
    from kechuang.registry.models import Region
    from kechuang.web.models import OrganisationRequest

    req = OrganisationRequest.objects.create(
        name="南宁丙科技有限公司",
        kind="enterprise",
        credit_code="",
        region=Region.objects.get(code="450103"),
        contact_name="丙",
        email="bing@example.com",
        username="bing",
        password_hash="!",
    )
    return {"registration_request": req.pk}
