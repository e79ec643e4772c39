from django.urls import path

from kechuang.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("export.xlsx", views.organisation_export_view, name="organisation_export"),
    path("<int:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("<int:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<int:org_id>/indicators/", views.record_indicator, name="record_indicator"),
    path("changes/", views.change_request_list, name="change_requests"),
    path("changes/<int:request_id>/decide/", views.change_request_decide, name="change_request_decide"),
    path("import/", views.import_view, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
