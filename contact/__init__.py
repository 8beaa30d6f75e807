"""The public contact form (P6), its answers from the admin and its retention clock.

Layer: a feature app.
"""
