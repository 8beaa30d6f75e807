"""The customer's hosting packages, domains and certificates, and their self-service changes applied
through a provisioning adapter; it creates services when an order is paid and follows
subscriptions (``receivers``).

Layer: a feature app above ``orders`` and ``subscriptions``.
"""
