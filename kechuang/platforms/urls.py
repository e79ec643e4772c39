from django.urls import path

from kechuang.platforms import views

app_name = "platforms"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_platforms, name="import"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/act/", views.application_act, name="application_act"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("institutions/<int:pk>/report/", views.report, name="report"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/run/", views.evaluation_run, name="evaluation_run"),
    path("export.xlsx", views.export, name="export"),
    path("notice/", views.public_notice, name="notice"),
]
