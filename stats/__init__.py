"""Page-view statistics without personal data and profiling (P3) until the customer objects.

Layer: a feature app.
"""
