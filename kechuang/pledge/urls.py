from django.urls import path

from kechuang.pledge import views

app_name = "pledge"
urlpatterns = [
    path("", views.home, name="home"),
    path("patents/", views.patent_list, name="patent_list"),
    path("patents/<int:patent_id>/", views.patent_detail, name="patent_detail"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:need_id>/", views.need_detail, name="need_detail"),
    path("needs/<int:need_id>/apply/", views.need_apply, name="need_apply"),
    path("needs/<int:need_id>/close/", views.need_close, name="need_close"),
    path("bank/needs/", views.bank_needs, name="bank_needs"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
    path("products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:product_id>/toggle/", views.product_toggle, name="product_toggle"),
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/<int:loan_id>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:loan_id>/link-event/", views.loan_link_event, name="loan_link_event"),
    path("loans/<int:loan_id>/<slug:action>/", views.loan_action, name="loan_action"),
    path("shares/<int:share_id>/pay/", views.share_pay, name="share_pay"),
    path("config/", views.config, name="config"),
    path("subsidies/", views.subsidy_view, name="subsidies"),
    path("subsidies/publish/", views.subsidy_publish, name="subsidy_publish"),
    path("stats/", views.stats_view, name="stats"),
    path("stats.xlsx", views.stats_export, name="stats_export"),
]
