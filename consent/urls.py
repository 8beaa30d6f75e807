from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("privacy/", views.statement_view, name="statement"),
    path("privacy/versies/<int:number>/", views.statement_version_view, name="statement_version"),
    path("privacy/gelezen/", views.statement_read_view, name="statement_read"),
    path("privacy/toestemmingen/", views.consents_view, name="consents"),
    path("privacy/cookies/", views.cookie_settings_view, name="cookies"),
]
