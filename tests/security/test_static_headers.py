"""Static files carry the security headers of the pages, although WhiteNoise serves them first (C36)."""

import pytest
from django.templatetags.static import static

from netrex.static_headers import static_security_headers
from tests.security.test_headers import _check_headers

pytestmark = pytest.mark.clause("C36")


@pytest.mark.parametrize("path", ["css/portal.css", "img/favicon.svg", "consent/banner.js"])
def test_a_static_file_carries_a_policy_that_allows_nothing_and_the_other_headers(client, path):
    response = client.get(static(path))
    assert response.status_code == 200
    assert response.streaming  # served by WhiteNoise, not by a view
    _check_headers(response, path)
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["default-src"] == "'none'"


def test_the_headers_function_is_what_whitenoise_is_configured_with(settings):
    assert settings.WHITENOISE_ADD_HEADERS_FUNCTION is static_security_headers
