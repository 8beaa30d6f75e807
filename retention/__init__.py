"""The retention sweep: every declaration with a rule of the register, enforced in batches
(``engine``), its run log, partitions of the profiling table, the legal-hold admin and the demo
ageing; it logs account closures (``receivers.account_closed``).

Layer: a feature app; erasing itself is ``privacy.erasure``.
"""
