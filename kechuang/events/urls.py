from django.urls import path

from kechuang.events import views

app_name = "events"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.event_create, name="create"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_export, name="report_export"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:event_id>/badge/", views.badge, name="badge"),
    path("<int:event_id>/participants/", views.participants, name="participants"),
    path(
        "<int:event_id>/participants/<int:target_id>/request/", views.request_meeting, name="request_meeting"
    ),
    path(
        "<int:event_id>/participants/<int:target_id>/withdraw/",
        views.withdraw_request,
        name="withdraw_request",
    ),
    path("<int:event_id>/availability/", views.set_availability, name="availability"),
    path("<int:event_id>/agenda/", views.agenda, name="agenda"),
    path("<int:event_id>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:event_id>/meetings/<int:meeting_id>/respond/", views.respond, name="respond"),
    path("<int:event_id>/manage/", views.manage, name="manage"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/manage/sessions/", views.add_session, name="add_session"),
    path("<int:event_id>/manage/slots/", views.add_slots, name="add_slots"),
    path("<int:event_id>/manage/roadshow/", views.open_call, name="open_call"),
    path("<int:event_id>/manage/outcomes/", views.add_outcome, name="add_outcome"),
    path("<int:event_id>/manage/translations/", views.set_translation, name="set_translation"),
    path("<int:event_id>/manage/registrations/<int:registration_id>/", views.decide, name="decide"),
    path("<int:event_id>/manage/schedule/", views.schedule, name="schedule"),
    path("<int:event_id>/check-in/", views.check_in, name="check_in"),
    path("<int:event_id>/roadshow/<int:call_id>/", views.roadshow, name="roadshow"),
    path(
        "<int:event_id>/roadshow/applications/<int:application_id>/select/",
        views.select_application,
        name="select_application",
    ),
    path(
        "<int:event_id>/roadshow/<int:call_id>/schedule/", views.schedule_roadshow, name="schedule_roadshow"
    ),
    path("<int:event_id>/stats/", views.stats, name="stats"),
    path("<int:event_id>/stats.xlsx", views.stats_export, name="stats_export"),
]
