"""Payments through Mollie: the gateway (the only code that talks to Mollie), the webhook, refunds,
and the registry of payment owners (``handlers``: the order and subscription apps register their
kind).

Layer: a feature app below ``orders`` and ``subscriptions``.
"""
