"""Small request helpers shared by every app."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP address; behind ``DJANGO_NUM_PROXIES`` trusted proxies, taken from X-Forwarded-For."""
    if request is None:
        return None
    return client_ip_from(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""))


def client_ip_from(remote_addr: str, forwarded_for: str) -> str | None:
    """``client_ip`` of a request's ``REMOTE_ADDR`` and ``X-Forwarded-For`` kept for later (the page-view buffer)."""
    candidate = remote_addr
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
