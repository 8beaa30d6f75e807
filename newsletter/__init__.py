"""The newsletter (P7) and advertising preferences per channel (P10): subscriptions with double
opt-in, one-click unsubscribe, the suppression list, sending in batches, the call-list export.

Layer: a feature app.
"""
