from django.urls import path

from kechuang.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/act/", views.act, name="act"),
    path("benefits/", views.benefits, name="benefits"),
    path("benefits/run/", views.benefits_run, name="benefits_run"),
    path("export.xlsx", views.export, name="export"),
    path("notice/", views.public_notice, name="notice"),
    path("notice/<int:pk>/object/", views.public_object, name="object"),
    path("bagui/", views.bagui_home, name="bagui"),
    path("bagui/posts/<int:pk>/", views.bagui_post, name="bagui_post"),
    path("bagui/posts/<int:pk>/act/", views.bagui_act, name="bagui_act"),
]
