"""The customer's return from Mollie (under the language prefix)."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("betalingen/terug/<uuid:uuid>/", views.return_view, name="return"),
]
