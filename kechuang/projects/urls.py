from django.urls import path

from kechuang.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/formal-check/", views.formal_check, name="formal_check"),
]
