"""Counting page views: one tuple appended under a lock per request, no query (see ``stats.buffer``)."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from stats.buffer import buffer


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._counts(request, response):
            user = getattr(request, "user", None)
            visitor = None
            if user is not None and user.is_authenticated and not user.is_staff:
                meta = request.META
                visitor = (user.pk, user.email, meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""))
            buffer.add(time.time(), request.path_info, visitor)
        return response

    @staticmethod
    def _counts(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200:
            return False
        if response.get("Content-Type", "").split(";")[0] != "text/html":
            return False
        path = request.path_info
        return not path.startswith(tuple(settings.STATS_EXCLUDE_PREFIXES)) and "/admin/" not in path
