"""The portal's URLs plus a page with an inline script, to prove the CSP nonce (tests/test_deploy.py)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from netrex.urls import urlpatterns as portal_urlpatterns

PAGE = (
    '{% extends "base.html" %}{% block extra_body %}<script nonce="{{ request.csp_nonce }}">1;</script>{% endblock %}'
)


def inline_script(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(PAGE).render({}, request))


urlpatterns = [path("inline-script/", inline_script), *portal_urlpatterns]
