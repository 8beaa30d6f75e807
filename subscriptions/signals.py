"""Signals of the subscriptions app, sent inside the transaction of the change.

- ``subscription_activated(sender=Subscription, subscription=...)``: the first payment was paid.
- ``subscription_past_due(sender=Subscription, subscription=...)``: a recurring payment failed.
- ``subscription_cancelled(sender=Subscription, subscription=...)``: the customer cancelled.

Receivers run in the sender's transaction: write rows, and queue anything else with ``on_commit``.
"""

from django.dispatch import Signal

subscription_activated = Signal()
subscription_past_due = Signal()
subscription_cancelled = Signal()
