from django.urls import path

from kechuang.techmarket import views

app_name = "techmarket"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.listing_create, name="create"),
    path("mine/", views.dashboard, name="dashboard"),
    path("review/", views.review_queue, name="review_queue"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("contracts/", views.contracts, name="contracts"),
    path("stats/", views.stats, name="stats"),
    path("translations/", views.translations, name="translations"),
    path("<int:listing_id>/", views.listing_detail, name="detail"),
    path("<int:listing_id>/edit/", views.listing_edit, name="edit"),
    path("<int:listing_id>/renew/", views.listing_renew, name="renew"),
    path("<int:listing_id>/submit/", views.listing_submit, name="submit"),
    path("<int:listing_id>/withdraw/", views.listing_withdraw, name="withdraw"),
    path("<int:listing_id>/translation/", views.listing_translation, name="translation"),
    path("<int:listing_id>/review/", views.listing_review, name="review"),
    path("<int:listing_id>/interest/", views.interest_create, name="interest_create"),
    path("<int:listing_id>/follow-up/", views.follow_up_create, name="follow_up_create"),
    path("interests/<int:interest_id>/", views.interest_detail, name="interest"),
]
