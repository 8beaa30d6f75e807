from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("account-opheffen/", views.account_close_view, name="account_close"),
    path("account-opgeheven/", views.account_closed_view, name="account_closed"),
]
