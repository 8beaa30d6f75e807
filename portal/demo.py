"""Demo data hooks: apps register a function that adds their demo data to ``seed_demo``.

A hook receives the demo customer, the staff member, an output stream and the command's options,
and must be idempotent.  Hooks may also add command-line options (``add_argument``).
"""

from collections.abc import Callable

_hooks: list[Callable] = []
_arguments: list[tuple[str, dict]] = []


def register(hook: Callable) -> Callable:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def add_argument(name: str, **kwargs) -> None:
    if all(existing != name for existing, _ in _arguments):
        _arguments.append((name, kwargs))


def extra_arguments() -> list[tuple[str, dict]]:
    return list(_arguments)


def run_all(**kwargs) -> None:
    for hook in _hooks:
        hook(**kwargs)
