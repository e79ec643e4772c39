from django.urls import path

from kechuang.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.home, name="home"),
    path("policies/<slug:code>/", views.policy_detail, name="policy_detail"),
    path("policies/<slug:code>/parameters/", views.schedule_parameter, name="schedule_parameter"),
    path("calculator/", views.calculator, name="calculator"),
    path("calculator/<slug:code>/", views.calculator_detail, name="calculator_detail"),
    path("screening/", views.start_screening, name="start_screening"),
    path("screening/<int:run_id>/", views.screening_run, name="screening_run"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/programmes/", views.create_programme, name="create_programme"),
    path("rounds/new/", views.create_round, name="create_round"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/apply/", views.round_apply, name="round_apply"),
    path("rounds/<int:round_id>/notice.xlsx", views.notice_xlsx, name="notice_xlsx"),
    path("rounds/<int:round_id>/payments.xlsx", views.payments_xlsx, name="payments_xlsx"),
    path("rounds/<int:round_id>/reconcile/", views.round_reconcile, name="round_reconcile"),
    path("rounds/<int:round_id>/xiada.xlsx", views.transfer_xlsx_view, name="transfer_xlsx"),
    path("rounds/<int:round_id>/xiada.docx", views.transfer_docx_view, name="transfer_docx"),
    path("recoveries/<int:recovery_id>/record/", views.recovery_record, name="recovery_record"),
    path("funds/<int:fund_id>/ledger/", views.fund_ledger, name="fund_ledger"),
    path("rounds/<int:round_id>/<slug:action>/", views.round_action, name="round_action"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:candidate_id>/attachment/", views.candidate_attachment, name="attachment"),
    path("candidates/<int:candidate_id>/<slug:action>/", views.candidate_action, name="candidate_action"),
    path("statistics/", views.statistics, name="statistics"),
    path("gongshi/", views.gongshi, name="gongshi"),
    path("gongshi/<int:round_id>/", views.gongshi_round, name="gongshi_round"),
    # the names the front door (web/portal.py) looks for
    path("gongshi/", views.gongshi, name="public_notices"),
    path("gongshi/<int:round_id>/", views.gongshi_round, name="public_notice"),
]
