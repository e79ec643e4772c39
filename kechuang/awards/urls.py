from django.urls import path

from kechuang.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("calls/<int:pk>/manage/", views.manage, name="manage"),
    path("calls/<int:pk>/respond/", views.respond, name="respond"),
    path("national/", views.national, name="national"),
    path("calls/<int:pk>/annex.<str:fmt>", views.annex, name="annex"),
    path("nominations/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("notices/", views.public_notices, name="notices"),
    path("notices/<int:pk>/", views.public_notice, name="notice"),
]
