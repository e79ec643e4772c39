from django.urls import path

from kechuang.kpi import views

app_name = "kpi"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("progress/", views.progress, name="progress"),
    path("completion.xlsx", views.completion_export, name="completion_export"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/<slug:code>/edit/", views.definition_edit, name="definition_edit"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<slug:code>.<str:fmt>", views.report_download, name="report_download"),
    path("reports/<slug:code>/edit/", views.template_edit, name="template_edit"),
    path("k/<slug:code>/", views.kpi_detail, name="detail"),
    path("k/<slug:code>/records/", views.records, name="records"),
    path("k/<slug:code>/records.xlsx", views.records_export, name="records_export"),
]
