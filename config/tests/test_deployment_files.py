"""The deployment files describe the stack that settings.py and config/celery.py expect.

Docker is not available everywhere these tests run, so docker-compose.yml is read as YAML (merge
keys resolved, as Compose does), validated against the Compose Specification's JSON schema, and
the Dockerfile read as text. Where `docker compose` exists, the compose file is also validated
by Compose itself.
"""

import copy
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# The Compose Specification's JSON schema, vendored with its source and licence (README.txt).
COMPOSE_SCHEMA = Path(__file__).resolve().parent / "vendor" / "compose-spec.json"
APP_SERVICES = ("web", "worker", "beat")
HEALTHCHECKED_SERVICES = ("postgres", "redis", "web")
COMPOSE_TOP_LEVEL_KEYS = {
    "version",
    "name",
    "include",
    "services",
    "networks",
    "volumes",
    "configs",
    "secrets",
    "models",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return _dockerfile_instructions((ROOT / "Dockerfile").read_text())


def _command(service: dict) -> str:
    command = service.get("command", "")
    return shlex.join(command) if isinstance(command, list) else command


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuation lines joined."""
    instructions = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _procfile(name: str) -> dict[str, str]:
    processes = {}
    for line in (ROOT / name).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        process, _, command = line.partition(":")
        assert process not in processes, f"{name} defines {process} twice"
        processes[process] = command.strip()
    return processes


def test_compose_defines_the_whole_stack(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def compose_errors(document: dict) -> list[str]:
    """Where `document` breaks the Compose Specification's schema (config/tests/vendor/)."""
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_compose_file_is_valid(compose, services):
    unknown = {key for key in compose if not key.startswith("x-")} - COMPOSE_TOP_LEVEL_KEYS
    assert not unknown, f"unknown top-level keys: {unknown}"
    for name, service in services.items():
        assert "image" in service or "build" in service, f"{name} has neither image nor build"
    # Every key and value where the Compose Specification allows it, Docker or not.
    assert compose_errors(compose) == []

    # Compose's own validation too, wherever Compose is installed (it is not on every machine).
    docker = shutil.which("docker")
    if docker and _succeeds([docker, "compose", "version"]):
        result = subprocess.run(
            [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
            cwd=ROOT,
            env={**os.environ, "SECRET_KEY": "compose-config-check"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr


def _succeeds(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.parametrize(
    "mistake",
    [
        {"healthchek": {"test": ["CMD", "true"]}},  # a misspelled key
        {"restart": ["unless-stopped"]},  # a list where Compose wants a string
        {"depends_on": {"postgres": {"condition": "service_healthy", "when": "now"}}},
    ],
    ids=["misspelled key", "wrong type", "unknown condition key"],
)
def test_the_schema_check_finds_mistakes_compose_would_refuse(compose, mistake):
    broken = copy.deepcopy(compose)
    broken["services"]["web"].update(mistake)
    errors = compose_errors(broken)
    assert errors and all(error.startswith("services/web") for error in errors), errors


def test_web_runs_migrations_before_gunicorn(services):
    command = _command(services["web"])
    assert "manage.py migrate --noinput" in command
    assert "gunicorn config.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")
    # Chained with &&, so that a failed migration never starts the web server.
    assert "&&" in command[command.index("migrate") : command.index("gunicorn")]
    assert "8000:8000" in [str(port) for port in services["web"]["ports"]]


def test_worker_runs_the_celery_worker_without_an_embedded_beat(services):
    command = _command(services["worker"])
    assert "celery -A config worker" in command
    assert not re.search(r"\s(-B|--beat)\b", command)


def test_beat_runs_celery_beat_exactly_once(services):
    beat = services["beat"]
    assert "celery -A config beat" in _command(beat)
    assert beat.get("deploy", {}).get("replicas", 1) <= 1
    assert beat.get("scale", 1) <= 1
    beats = [name for name, service in services.items() if " beat" in _command(service)]
    assert beats == ["beat"]


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    mounts = services["postgres"]["volumes"]
    sources = {
        (mount.split(":")[0] if isinstance(mount, str) else mount["source"]) for mount in mounts
    }
    targets = {
        (mount.split(":")[1] if isinstance(mount, str) else mount["target"]) for mount in mounts
    }
    assert "/var/lib/postgresql/data" in targets
    assert sources & set(compose.get("volumes") or {}), "the data volume is not a named volume"


@pytest.mark.parametrize("name", HEALTHCHECKED_SERVICES)
def test_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable")
    assert healthcheck["test"]


def test_healthchecks_ask_each_service_the_right_question(services):
    assert "pg_isready" in _command({"command": services["postgres"]["healthcheck"]["test"]})
    assert "redis-cli ping" in _command({"command": services["redis"]["healthcheck"]["test"]})
    assert "/accounts/login/" in _command({"command": services["web"]["healthcheck"]["test"]})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), f"{name} depends_on needs conditions"
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_with_production_settings(services, name):
    environment = _environment(services[name])
    assert environment["DEBUG"] == "0"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    # Compose refuses to start without a SECRET_KEY rather than inventing one.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", environment["SECRET_KEY"])
    assert services[name]["restart"] == "unless-stopped"


def test_dockerfile_runs_gunicorn_as_a_non_root_user(dockerfile):
    keywords = [keyword for keyword, _ in dockerfile]
    assert dockerfile[0] == ("FROM", "python:3.11-slim")
    cmd = [arguments for keyword, arguments in dockerfile if keyword == "CMD"][-1]
    assert "gunicorn" in cmd
    assert "config.wsgi:application" in cmd
    assert "USER" in keywords, "the image runs as root"
    user = [arguments for keyword, arguments in dockerfile if keyword == "USER"][-1]
    assert user.split(":")[0] not in {"root", "0"}
    assert keywords.index("USER") < keywords.index("CMD")


def test_dockerfile_collects_static_files_without_baking_in_a_secret(dockerfile):
    runs = [arguments for keyword, arguments in dockerfile if keyword == "RUN"]
    collectstatic = [run for run in runs if "collectstatic --noinput" in run]
    assert collectstatic
    assert "DEBUG=0" in collectstatic[0]
    assert "SECRET_KEY=" in collectstatic[0]
    for keyword, arguments in dockerfile:
        if keyword in {"ENV", "ARG"}:
            assert "SECRET_KEY" not in arguments


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git"} <= ignored
    assert ignored & {"__pycache__", "**/__pycache__"}


@pytest.mark.parametrize("name", ["Procfile", "Procfile.dev"])
def test_procfile_runs_web_one_worker_and_one_beat(name):
    processes = _procfile(name)
    assert set(processes) == {"web", "worker", "beat"}
    assert processes["worker"].startswith("celery -A config worker")
    assert processes["beat"].startswith("celery -A config beat")
    assert "$PORT" in processes["web"] or "${PORT" in processes["web"]
