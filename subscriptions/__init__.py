"""Subscriptions (P5): plans, the first payment and mandate, recurring payments through Mollie,
past due and cancellation; ``signals`` announce activation, past due and cancellation.

Layer: a feature app above ``payments``.
"""
