"""Signals of the subscriptions app, sent inside the transaction of the change.

- ``subscription_activated(sender=Subscription, subscription=...)``: the first payment was paid.
- ``subscription_past_due(sender=Subscription, subscription=...)``: a recurring payment failed.
- ``subscription_cancelled(sender=Subscription, subscription=..., ends_on=...)``: the customer cancelled;
  what the plan gives runs until ``ends_on`` (``selectors.subscription_ends_on``: the end of the paid
  period, or the day of cancelling when the current period was not paid).

A subscription names what it runs for: ``target_ref`` (one of the customer's targets, see
``portal.targets``) or a new ``domain``.

Receivers run in the sender's transaction: write rows, and queue anything else with ``on_commit``.
"""

from django.dispatch import Signal

subscription_activated = Signal()
subscription_past_due = Signal()
subscription_cancelled = Signal()
