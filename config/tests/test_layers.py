"""The layers hold at run time too: each app works with only the apps below it installed.

`lint-imports` (make lint) checks the import graph; this starts Django in a fresh process with
an app and the apps below it only, imports the app's models, admin and panels (what its
AppConfig.ready() loads) and its URLs, and checks that no module of a higher app was loaded.
"""

import subprocess
import sys

import pytest

# Lowest first, as in the README's Architecture section and pyproject's layers contract.
LAYERS = [
    "core",
    "partners",
    "documents",
    "mail",
    "outreach",
    "saved_views",
    "programs",
    "agreements",
    "updates",
    "inbox",
    "compose",
    "reviews",
    "playbooks",
    "health",
    "notifications",
    "reports",
    "transfer",
    "search",
    "bulk",
]

CHECK = """
import importlib, sys
import config.settings as base
from django.conf import settings
installed = {installed!r}
names = {{name: getattr(base, name) for name in dir(base) if name.isupper()}}
names["INSTALLED_APPS"] = [
    app for app in base.INSTALLED_APPS if "." in app or app.startswith(("crispy", "whitenoise"))
] + installed
settings.configure(**names)
import django
django.setup()
for module in ("models", "admin", "urls"):
    try:
        importlib.import_module(f"{app}.{{module}}")
    except ModuleNotFoundError as error:
        if error.name != f"{app}.{{module}}":
            raise
higher = {higher!r}
loaded = sorted(name for name in sys.modules if name.split(".")[0] in higher)
print("LOADED", loaded)
"""


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_starts_with_only_the_apps_below_it(app):
    below = LAYERS[: LAYERS.index(app) + 1]
    higher = set(LAYERS) - set(below) | {"demo"}
    script = CHECK.replace("{app}", app).format(installed=below, higher=sorted(higher))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOADED []" in result.stdout, result.stdout


def test_every_app_is_layered_and_its_tests_are_collected():
    """A new app joins LAYERS here and pytest's testpaths (pyproject.toml): else its tests
    would silently never run."""
    import tomllib
    from pathlib import Path

    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if Path(settings.BASE_DIR, app).is_dir()]
    assert set(ours) - {"demo"} == set(LAYERS)
    pyproject = tomllib.loads(Path(settings.BASE_DIR, "pyproject.toml").read_text())
    testpaths = set(pyproject["tool"]["pytest"]["ini_options"]["testpaths"])
    assert {*LAYERS, "config", "demo"} <= testpaths
