"""Counting page views: one lock and a dictionary update per request, no query (see ``stats.buffer``)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from portal.client import client_ip
from privacy.anonymise import path_normalise
from stats.buffer import Visit, buffer


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._counts(request, response):
            now = timezone.now()
            path = path_normalise(request.path_info)
            user = getattr(request, "user", None)
            visit = None
            if user is not None and user.is_authenticated and not user.is_staff:
                visit = Visit(user_id=user.pk, email=user.email, ip_address=client_ip(request), path=path, at=now)
            buffer.add(timezone.localdate(now), path, visit)
        return response

    @staticmethod
    def _counts(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200:
            return False
        if response.get("Content-Type", "").split(";")[0] != "text/html":
            return False
        path = request.path_info
        return not any(path.startswith(prefix) for prefix in settings.STATS_EXCLUDE_PREFIXES) and "/admin/" not in path
