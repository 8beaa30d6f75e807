"""Mounted at /mollie-sim/ only when MOLLIE_SIMULATOR is on; the client appends /v2/... to the endpoint."""

from django.urls import path

from mollie_sim import api, views

app_name = "mollie_sim"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("checkout/<str:payment_id>/", views.checkout_view, name="checkout"),
    path("subscriptions/<str:subscription_id>/charge/", views.charge_view, name="charge"),
    path("v2/payments", api.payments, name="payments"),
    path("v2/payments/<str:payment_id>", api.payment, name="payment"),
    path("v2/payments/<str:payment_id>/refunds", api.refunds, name="refunds"),
    path("v2/payments/<str:payment_id>/refunds/<str:refund_id>", api.refund, name="refund"),
    path("refunds/<str:refund_id>/settle/", views.refund_settle_view, name="refund_settle"),
    path("v2/customers", api.customers, name="customers"),
    path("v2/customers/<str:customer_id>", api.customer, name="customer"),
    path("v2/customers/<str:customer_id>/mandates", api.mandates, name="mandates"),
    path("v2/customers/<str:customer_id>/subscriptions", api.subscriptions, name="subscriptions"),
    path("v2/customers/<str:customer_id>/subscriptions/<str:subscription_id>", api.subscription, name="subscription"),
]
