"""Signals of the payments app: what other apps (billing, credits) hang their bookkeeping on.

Both are sent inside the locked transaction of the change, so a receiver's rows commit or roll back
with it; a receiver queues its side effects (mail, PDFs) with ``on_commit``.
"""

from django.dispatch import Signal

# The first time a payment is reported paid (its effect applied once): orders, subscription renewals
# and adopted recurring payments alike.  kwargs: payment.
payment_paid = Signal()

# A refund's status changed (created at Mollie, or read back later: pending → refunded, failed, ...).
# kwargs: refund, previous_status ("" when it was just created).
refund_status_changed = Signal()
