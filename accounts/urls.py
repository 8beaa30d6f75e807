from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("profiel/", views.profile_view, name="profile"),
    path("profiel/foto/", views.photo_upload_view, name="photo_upload"),
    path("profiel/foto/verwijderen/", views.photo_remove_view, name="photo_remove"),
    path("profiel/foto/<int:user_id>/", views.photo_view, name="photo"),
    path("profiel/wissen/", views.optional_field_clear_view, name="optional_field_clear"),
    path("activiteit/", views.activity_view, name="activity"),
    path("account-opheffen/", views.account_close_view, name="account_close"),
    path("account-opgeheven/", views.account_closed_view, name="account_closed"),
]
