from django.urls import path

from kechuang.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/action/", views.call_action, name="call_action"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/formal-check/", views.formal_check, name="formal_check"),
    path("applications/<int:pk>/action/", views.application_action, name="application_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/action/", views.contract_action, name="contract_action"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("integrity/", views.integrity, name="integrity"),
    path("overseas/", views.centres, name="centres"),
    path("overseas/<int:pk>/", views.centre, name="centre"),
]
