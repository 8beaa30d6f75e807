"""The security headers of static files.

WhiteNoise answers ``/static/`` before the CSP and X-Frame-Options middleware run, so it adds them
itself (``WHITENOISE_ADD_HEADERS_FUNCTION``).  A static file needs nothing from anywhere: an SVG or
a script opened on its own runs nothing and loads nothing, and is never framed.  The values the
pages share (referrer, opener, framing) are read from the settings; this module is importable
while the settings load.
"""

from wsgiref.headers import Headers

from django.conf import settings

STATIC_CSP = "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def static_security_headers(headers: Headers, path: str, url: str) -> None:
    headers["Content-Security-Policy"] = STATIC_CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
