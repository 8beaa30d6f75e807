"""The layout holds: the project's apps import each other as a DAG, with ``privacy`` at the bottom.

The graph is built from the source (``ast``), not from what happens to be imported at run time, so a
function-level import counts as much as a module-level one: a cycle hidden inside a function is
still a cycle in the design.  Tests and migrations are left out (they may reach anywhere), and so is
the project's own wiring (settings, URLs, WSGI/ASGI), which sits on top of every app by nature.
"""

import ast
import pathlib

from django.apps import apps

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The project's wiring: settings, URLs, entry points and the health endpoints that report on every app.
WIRING = {
    "netrex/settings.py",
    "netrex/test_settings.py",
    "netrex/urls.py",
    "netrex/wsgi.py",
    "netrex/asgi.py",
    "netrex/views.py",
    "netrex/health.py",
}
# The ground floor: imports nothing of the portal's apps (Django, allauth and the standard library only).
GROUND_FLOOR = {"privacy"}


def project_apps() -> list[str]:
    return sorted(
        config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir() and "." not in config.name
    )


def import_graph() -> dict[str, dict[str, set[str]]]:
    """``{app: {imported app: {files that import it}}}`` for the project's apps."""
    names = set(project_apps())
    graph: dict[str, dict[str, set[str]]] = {name: {} for name in names}
    for name in names:
        for path in (ROOT / name).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative in WIRING:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in names and top != name:
                        graph[name].setdefault(top, set()).add(relative)
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Every elementary cycle's apps, found by depth-first search (the graph is small)."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for target in sorted(graph[node]):
            if target == start:
                rotation = min(tuple(path[i:] + path[:i]) for i in range(len(path)))
                if rotation not in seen:
                    seen.add(rotation)
                    found.append(list(rotation))
            elif target not in path and target > start:
                walk(start, target, [*path, target])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


def test_the_apps_import_each_other_without_a_cycle():
    graph = import_graph()
    explained = [
        " -> ".join([*cycle, cycle[0]])
        + ": "
        + "; ".join(f"{a}->{b} in {sorted(graph[a][b])}" for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        for cycle in cycles(graph)
    ]
    assert explained == []


def test_the_ground_floor_imports_no_app_of_the_portal():
    graph = import_graph()
    for name in GROUND_FLOOR:
        assert graph[name] == {}, f"{name} imports {graph[name]}"


def test_the_cycle_finder_finds_a_cycle():
    """The test above can fail: a made-up graph with a three-app cycle is reported."""
    graph = {"a": {"b": {"a/x.py"}}, "b": {"c": {"b/y.py"}}, "c": {"a": {"c/z.py"}}, "d": {"a": {"d/w.py"}}}
    assert cycles(graph) == [["a", "b", "c"]]
