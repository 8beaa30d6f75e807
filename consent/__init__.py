"""Consent and the statement: statement versions and their notice, consent records per purpose,
cookie choices and the tracking tools, the disclosure register (C28), and ``sync`` which keeps the
consent record in step with choices made through other apps' routes.

Layer: a feature app; the register and declarations it once held are in ``privacy``.
"""
