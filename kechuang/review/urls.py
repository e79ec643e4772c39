from django.urls import path

from kechuang.review import views

app_name = "review"
urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("processes/<int:pk>/", views.process_detail, name="process"),
    path("processes/<int:pk>/stages/<int:stage_id>/", views.stage_action, name="stage_action"),
    path("stages/<int:stage_id>/vote/", views.vote, name="vote"),
]
