"""A Mollie-compatible simulator for development and tests; refused by production settings.

Layer: a feature app on its own (nothing imports it).
"""
