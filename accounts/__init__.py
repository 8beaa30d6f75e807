"""The customer: the user model and profile (P9), allauth's sign-up, log-in, e-mail and MFA flows,
the profile photo, the staff user admin (least privilege, break-glass) and account closure
(``closure.py``, which announces ``account_closed``).

Layer: above ``portal`` and ``privacy``; the feature apps may import it (``accounts.models.User``).
"""
