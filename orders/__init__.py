"""Orders (P1, P4, P8): catalogue, cart, checkout, invoices, deliveries; ``signals.order_paid`` is
the one event other apps react to when an order is paid.

Layer: a feature app above ``payments``.
"""
