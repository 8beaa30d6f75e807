"""The hosts each tracking tool needs in the Content Security Policy, added only when the tool is configured.

Plain Python without Django imports, so ``netrex/settings.py`` can use it while settings load.
"""

from urllib.parse import urlsplit

GOOGLE_SCRIPT_HOSTS = ["https://www.googletagmanager.com"]
GOOGLE_CONNECT_HOSTS = [
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://*.googletagmanager.com",
]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def with_tool_hosts(
    policy: dict, *, matomo_url: str = "", salesfeed_script_url: str = "", google_analytics_id: str = ""
) -> dict:
    """A copy of a django-csp policy dict with the configured tools' hosts added to its directives."""
    directives = {name: list(values) for name, values in policy.get("DIRECTIVES", {}).items()}

    def add(directive: str, hosts: list[str]) -> None:
        values = directives.setdefault(directive, [])
        values.extend(host for host in hosts if host and host not in values)

    matomo = _origin(matomo_url) if matomo_url else ""
    if matomo:
        for directive in ("script-src", "connect-src", "img-src"):
            add(directive, [matomo])
    salesfeed = _origin(salesfeed_script_url) if salesfeed_script_url else ""
    if salesfeed:
        for directive in ("script-src", "connect-src", "img-src"):
            add(directive, [salesfeed])
    if google_analytics_id:
        add("script-src", GOOGLE_SCRIPT_HOSTS)
        add("connect-src", GOOGLE_CONNECT_HOSTS)
        add("img-src", GOOGLE_CONNECT_HOSTS)
    return {**policy, "DIRECTIVES": directives}
