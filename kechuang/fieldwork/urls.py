from django.urls import path

from kechuang.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/act/", views.team_act, name="team_act"),
    path("activities/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("export.xlsx", views.export, name="export"),
]
