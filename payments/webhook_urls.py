"""Mollie's webhook: outside the language prefix, so its address never changes."""

from django.urls import path

from payments import views

urlpatterns = [
    path("betalingen/webhook/", views.webhook_view, name="payments_webhook"),
]
