"""The portal's URLs plus the minimal view: the framework's ceiling on this machine, same server, same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from netrex.urls import urlpatterns as portal_urlpatterns


def minimal_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal_view, name="bench_minimal"), *portal_urlpatterns]
