"""The privacy spine: the ground floor every app stands on.

What lives here, and nothing else of the portal:

- ``register``: the processing register (purposes P1–P10, retention rules, recipients) as data;
  every period a customer reads or the sweep enforces is computed here.
- ``declarations``: what each model holds, for which purpose, and how to find, export and erase
  it; each app declares its models in its own ``privacy.py`` and this app collects them.
- ``register_export``: the register as the CSV of GDPR art. 30.
- ``erasure``: the one mechanism that erases by declaration (delete, anonymise, detach), with what
  a legal hold covers decided once.  The retention sweep, account closure and erasure requests
  all call it.

This package imports nothing of the portal's own apps; they import it.
"""
