"""Demo data hooks: apps register a function that adds their demo data to ``seed_demo``.

A hook receives the demo customer, the staff member, an output stream and the command's options,
and must be idempotent.  Hooks may also add command-line options (``add_argument``).

A *life* hook (``register_life``) gives the demo customer a history made through the portal's own
services and the Mollie simulator (orders paid, a subscription renewed, credits spent): it runs after
the demo data is committed, while ``serving()`` serves the portal (and so its simulator) on a local
port for the Mollie client, as ``make run`` would.  Life hooks run in ``order`` and must be idempotent too.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

_hooks: list[Callable] = []
_life: list[tuple[int, Callable]] = []
_arguments: list[tuple[str, dict]] = []


def register(hook: Callable) -> Callable:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def register_life(hook: Callable, *, order: int = 100) -> Callable:
    if all(existing is not hook for _order, existing in _life):
        _life.append((order, hook))
    return hook


def add_argument(name: str, **kwargs) -> None:
    if all(existing != name for existing, _ in _arguments):
        _arguments.append((name, kwargs))


def extra_arguments() -> list[tuple[str, dict]]:
    return list(_arguments)


def run_all(**kwargs) -> None:
    for hook in _hooks:
        hook(**kwargs)


def run_life(**kwargs) -> None:
    for _order, hook in sorted(_life, key=lambda entry: entry[0]):
        hook(**kwargs)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the signature of the standard library
        pass


@contextmanager
def serving() -> Iterator[str]:
    """Serve the portal on a free local port while the block runs; the Mollie client is pointed at its simulator.

    Development only (the simulator exists only there).  Webhook addresses stay on ``SITE_URL``: the
    worker of ``make run`` delivers them later, and finds every payment already in line with Mollie.
    """
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="demo-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    hosts = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    try:
        with override_settings(MOLLIE_API_ENDPOINT=url + "/mollie-sim", ALLOWED_HOSTS=hosts, MOLLIE_CONNECT_RETRIES=0):
            yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
