from django.urls import path

from kechuang.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("calculator/", views.calculator, name="calculator"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:request_id>/", views.registration_decide, name="registration_decide"),
    path("nav/", views.nav, name="nav"),
    path("healthz", views.healthz, name="healthz"),
]
