"""The house style's size rules, held by a test: modules stay under 600 lines (a longer one
becomes a package) and view functions stay thin, 40 lines at most from `def` to their last line.

ruff's C90/PLR0912/PLR0915 limits (pyproject.toml) keep every function simple; these two rules
are about length, which ruff does not measure.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 600
MAX_VIEW_LINES = 40
# Modules of views that are not named views.py or kept in a views/ package.
OTHER_VIEW_MODULES = {"partners/board.py"}
# Modules mixing views with other code: only their functions that take a request are views.
MIXED_VIEW_MODULES = {"transfer/export.py"}


def _apps() -> list[Path]:
    return sorted(
        path
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / "__init__.py").exists()
    )


def _modules() -> Iterator[Path]:
    for app in _apps():
        for path in sorted(app.rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_views_module(name: str) -> bool:
    parts = name.split("/")
    return (
        parts[-1] == "views.py"
        or (len(parts) > 2 and parts[-2] == "views")
        or name in OTHER_VIEW_MODULES
    )


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    assert node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


def _takes_request(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = node.args.posonlyargs + node.args.args
    return bool(arguments) and arguments[0].arg == "request"


def test_the_apps_are_found():
    names = {app.name for app in _apps()}
    assert {"core", "partners", "programs", "reports", "config"} <= names


def test_every_module_has_at_most_600_lines():
    too_long = []
    for path in _modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_MODULE_LINES:
            too_long.append(f"{_name(path)}: {count} lines")
    assert not too_long, (
        f"Modules over {MAX_MODULE_LINES} lines (make them packages):\n" + "\n".join(too_long)
    )


def test_every_view_function_has_at_most_40_lines():
    too_long = []
    for path in _modules():
        name = _name(path)
        mixed = name in MIXED_VIEW_MODULES
        if not (_is_views_module(name) or mixed):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=name)
        for function in _functions(tree):
            if mixed and not _takes_request(function):
                continue
            if _lines(function) > MAX_VIEW_LINES:
                too_long.append(
                    f"{name}:{function.lineno} {function.name}(): {_lines(function)} lines"
                )
    assert not too_long, (
        f"View functions over {MAX_VIEW_LINES} lines (move the work into forms, services, "
        "selectors or small helpers):\n" + "\n".join(too_long)
    )
