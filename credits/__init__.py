"""Prepaid credits (P8): an append-only ledger and a balance; packs are bought as orders of kind
credits and granted by ``receivers.order_paid``; add-ons are paid with credits here.

Layer: a feature app above ``orders`` (it reacts to ``order_paid`` and places in-app orders).
"""
