"""The benchmark's databases (seeded once a day) and a production-shaped gunicorn server."""

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.conf import settings
from django.utils import timezone

from config.realservices import free_port, wait_for

BASE_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/liaison_bench_pages"


def database_url(base_url: str, scale: int) -> str:
    """The benchmark's database for one size: the base name with the scale appended."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{scale}"))


def _code_stamp() -> str:
    """What the seeded data depends on: the migrations and the demo loader's code."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for path in sorted([*root.glob("*/migrations/*.py"), *root.glob("demo/*.py")]):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _admin_connection(url: str) -> "psycopg2.extensions.connection":
    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
        dbname="postgres",
    )
    connection.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return connection


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, check=True)


def seeded_database(
    base_url: str, scale: int, *, fresh: bool, keep: bool, log: Callable[[str], None]
) -> str:
    """The database of `seed_demo --scale <scale>`, made again when the code or the day changed.

    The demo data is relative to today (follow-ups due this week, meetings coming up), so a
    database seeded yesterday is seeded again; so is one made by other migrations or demo code.
    The stamp is kept as the database's comment.
    """
    url = database_url(base_url, scale)
    name = urlsplit(url).path.lstrip("/")
    stamp = f"liaison bench-pages: scale {scale}, {timezone.localdate()}, code {_code_stamp()}"
    admin = _admin_connection(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            if row is not None and row[0] == stamp and not fresh:
                log(f"Reusing {name} (seeded today by this code).")
                return url
            if row is not None and keep and not fresh:
                log(f"Keeping {name} ({row[0] or 'no stamp'}); migrating it.")
                env = {**os.environ, "DATABASE_URL": url}
                _manage("migrate", "--noinput", "-v0", env=env)
                return url
            log(f"Seeding {name}: seed_demo --scale {scale}…")
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
            env = {**os.environ, "DATABASE_URL": url, "LIAISON_DEMO": "1", "DEBUG": "1"}
            _manage("migrate", "--noinput", "-v0", env=env)
            _manage("seed_demo", f"--scale={scale}", env=env)
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [stamp])
    finally:
        admin.close()
    return url


def production_env(*, database_url: str, static_root: str, var_dir: str) -> dict[str, str]:
    """docker-compose.yml's settings, on loopback, with the query counter on."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-pages-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "STATIC_ROOT": static_root,
        "LIAISON_VAR_DIR": var_dir,
        "LIAISON_COUNT_QUERIES": "1",
        "EMAIL_URL": "consolemail://",
    }


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2) -> Iterator[str]:
    """gunicorn with production settings on a free loopback port; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as tmp:
        env = production_env(
            database_url=database_url, static_root=f"{tmp}/static", var_dir=f"{tmp}/var"
        )
        _manage("collectstatic", "--noinput", "-v0", env=env)
        port = free_port()
        log = open(f"{tmp}/gunicorn.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:

            def listening() -> bool:
                if process.poll() is not None:
                    raise RuntimeError(Path(f"{tmp}/gunicorn.log").read_text())
                with socket.socket() as probe:
                    return probe.connect_ex(("127.0.0.1", port)) == 0

            wait_for(listening, timeout=30, what="gunicorn to listen")
            yield f"127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
