"""Signals of the orders app.

``order_paid``: sent inside the transaction that marks an order paid, exactly once per order.
Keyword argument ``order`` (the locked ``Order``).  Receivers write in the same transaction (for
example the services app creates hosting services from hosting, domain and certificate lines) and
queue their side effects with ``transaction.on_commit``.
"""

from django.dispatch import Signal

order_paid = Signal()

# Asked by an order email before it is sent, for files to attach (the billing app answers the "order paid"
# email with the invoice PDF).  Keyword arguments ``order`` and ``template`` ("confirmation", ...); a receiver
# returns a list of ``(filename, content, mimetype)``.
order_email_attachments = Signal()
