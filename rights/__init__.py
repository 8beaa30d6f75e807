"""The data subject's rights (C38–C40): "my data", the export, the request desk and erasure by
address (through ``privacy.erasure``).

Layer: a feature app.
"""
