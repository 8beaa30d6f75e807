"""The benchmark and soak of the portal (``make bench``, ``make soak``); never imported by the portal itself."""
