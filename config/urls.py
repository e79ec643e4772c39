from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("kechuang.accounts.urls")),
    path("audit/", include("kechuang.audit.urls")),
    path("jobs/", include("kechuang.jobs.urls")),
    path("registry/", include("kechuang.registry.urls")),
    path("policy/", include("kechuang.policy.urls")),
    path("market/", include("kechuang.techmarket.urls")),
    path("events/", include("kechuang.events.urls")),
    path("pledge/", include("kechuang.pledge.urls")),
    path("review/", include("kechuang.review.urls")),
    path("awards/", include("kechuang.awards.urls")),
    path("projects/", include("kechuang.projects.urls")),
    path("kpi/", include("kechuang.kpi.urls")),
    path("talent/", include("kechuang.talent.urls")),
    path("platforms/", include("kechuang.platforms.urls")),
    path("fieldwork/", include("kechuang.fieldwork.urls")),
    path("", include("kechuang.web.urls")),
]

# Error pages in the site's layout and the reader's language, with a way back.
handler403 = "kechuang.web.views.forbidden"
handler404 = "kechuang.web.views.not_found"
handler500 = "kechuang.web.views.server_error"
