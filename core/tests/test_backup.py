"""manage.py backup and restore: every table's rows and every uploaded file come back.

The SQLite round trip runs whatever DATABASE_URL says: its source is a SQLite file made by
`manage.py migrate` and `seed_demo` in a subprocess, the way a laptop install is made. The
PostgreSQL round trip backs up the test database and restores it into a new database on the
same server (needs DATABASE_URL=postgres://…, as in CI).
"""

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django.fixtures import Settings

from core import backups

BASE_DIR = Path(django_settings.BASE_DIR)
SURVEY = "surveys/2025/03/homework-help-survey.pdf"
SURVEY_BYTES = b"%PDF-1.4\n" + bytes(range(256)) * 64


def sqlite_row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: database.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def postgresql_row_counts(url: str) -> dict[str, int]:
    with closing(psycopg2.connect(url)) as database, database.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def print_counts(title: str, counts: dict[str, int]) -> None:
    print(f"\n{title}: {len(counts)} tables, {sum(counts.values()):,} rows")
    for table, rows in counts.items():
        print(f"  {table:<45} {rows:>7,}")


def back_up(output: Path, *options: str) -> Path:
    call_command("backup", "--output", str(output), *options, stdout=StringIO())
    (archive,) = output.glob("liaison-backup-*.tar")
    return archive


def restore(archive: Path, *options: str) -> str:
    out = StringIO()
    call_command("restore", str(archive), *options, stdout=out)
    return out.getvalue()


def an_upload(media_root: Path) -> Path:
    upload = media_root / SURVEY
    upload.parent.mkdir(parents=True)
    upload.write_bytes(SURVEY_BYTES)
    return upload


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database made as on a laptop: migrated, with the demo data loaded."""
    folder = tmp_path_factory.mktemp("sqlite-source")
    database = folder / "liaison.sqlite3"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_", "LIAISON_", "CELERY_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{database}",
        LIAISON_VAR_DIR=str(folder / "var"),
        LIAISON_DEMO="1",
        DEBUG="1",
    )
    for command in (["migrate", "--noinput"], ["seed_demo", "--if-empty"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {' '.join(command)}:\n{result.stderr}"
    return database


@pytest.mark.django_db
def test_sqlite_backup_restores_every_row_and_upload_into_a_fresh_database(
    sqlite_source: Path, tmp_path: Path, settings: Settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    an_upload(settings.MEDIA_ROOT)

    archive = back_up(tmp_path / "backups", "--database-url", f"sqlite:///{sqlite_source}")

    assert re.fullmatch(r"liaison-backup-\d{8}-\d{6}\.tar", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # contact details, password hashes
    with tarfile.open(archive) as tar:
        assert set(tar.getnames()) == {"database.sqlite3", f"media/{SURVEY}", "manifest.json"}
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    source = sqlite_row_counts(sqlite_source)
    # The manifest counts what the archive holds: every table but SQLite's own bookkeeping.
    assert manifest["tables"] == {t: n for t, n in source.items() if t != "sqlite_sequence"}
    assert manifest["vendor"] == "sqlite"
    assert (manifest["media_files"], manifest["media_bytes"]) == (1, len(SURVEY_BYTES))

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    fresh = tmp_path / "restored.sqlite3"
    output = restore(archive, "--database-url", f"sqlite:///{fresh}")

    restored = sqlite_row_counts(fresh)
    print_counts("SQLite source", source)
    assert restored == source
    assert sum(source.values()) > 1000 and source["partners_organization"] == 40
    assert (tmp_path / "restored-media" / SURVEY).read_bytes() == SURVEY_BYTES
    rows = sum(manifest["tables"].values())
    assert f"{len(manifest['tables'])} tables and {rows:,} rows, every count as in" in output
    assert "the manifest; 1 media file" in output


@pytest.mark.django_db
def test_restore_into_a_database_with_rows_is_refused_unless_forced(
    sqlite_source: Path, tmp_path: Path, settings: Settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = back_up(tmp_path / "backups", "--database-url", f"sqlite:///{sqlite_source}")
    target = tmp_path / "restored.sqlite3"
    restore(archive, "--database-url", f"sqlite:///{target}")
    with closing(sqlite3.connect(target)) as database, database:
        database.execute("DELETE FROM partners_stagechange")

    with pytest.raises(CommandError, match="is not empty: .* Restore into an empty database"):
        restore(archive, "--database-url", f"sqlite:///{target}")
    assert sqlite_row_counts(target)["partners_stagechange"] == 0  # untouched

    restore(archive, "--database-url", f"sqlite:///{target}", "--force")
    assert sqlite_row_counts(target) == sqlite_row_counts(sqlite_source)


def an_archive(path: Path, manifest: dict[str, Any] | bytes | None, **files: bytes) -> Path:
    """A hand-made archive: a manifest (dict, raw bytes, or none) and other members, named
    by keyword with "__" for "." (database__dump=…)."""
    if isinstance(manifest, dict):
        files["manifest.json"] = json.dumps(manifest).encode()
    elif manifest is not None:
        files["manifest.json"] = manifest
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name.replace("__", "."))
            info.size = len(data)
            tar.addfile(info, BytesIO(data))
    return path


def a_manifest(vendor: str) -> dict[str, Any]:
    return {
        "format": 1,
        "liaison_version": "0.1.0",
        "commit": None,
        "vendor": vendor,
        "created_at": "2025-03-01T02:30:00-05:00",
        "tables": {"auth_user": 1},
        "media_files": 0,
        "media_bytes": 0,
    }


@pytest.mark.django_db
def test_restore_refuses_the_database_in_use_when_it_holds_rows(
    librarian: User, tmp_path: Path
) -> None:
    archive = an_archive(
        tmp_path / "liaison-backup-20250301-023000.tar",
        a_manifest(connection.vendor),
        database__dump=b"never read",
        database__sqlite3=b"never read",
    )

    with pytest.raises(CommandError, match=r"is not empty: .* pass --force") as refusal:
        restore(archive)

    assert "auth_user (1)" in str(refusal.value)
    assert User.objects.get() == librarian


def garbled(path: Path) -> None:
    path.write_bytes(b"\x00\x13garbled" * 500)


def without_manifest(path: Path) -> None:
    an_archive(path, None, database__sqlite3=b"")


def with_manifest(manifest: dict[str, Any] | bytes) -> Callable[[Path], object]:
    return lambda path: an_archive(path, manifest)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: None, "There is no backup archive at"),
        (garbled, "is not a tar archive made by `manage.py backup`"),
        (without_manifest, "has no manifest.json: it is not an archive made by"),
        (with_manifest(b"{not json"), "manifest.json is garbled"),
        (with_manifest({"format": 1, "vendor": "sqlite"}), "manifest.json is garbled"),
        (with_manifest(a_manifest("sqlite")), "The archive has no database.sqlite3"),
    ],
    ids=["missing", "not-a-tar", "no-manifest", "manifest-not-json", "manifest-short", "no-db"],
)
@pytest.mark.django_db
def test_a_missing_or_garbled_archive_is_a_command_error(
    make: Callable[[Path], object], message: str, tmp_path: Path
) -> None:
    archive = tmp_path / "liaison-backup-20250301-023000.tar"
    make(archive)

    with pytest.raises(CommandError, match=re.escape(message)):
        restore(archive, "--database-url", f"sqlite:///{tmp_path / 'target.sqlite3'}")


def test_a_postgresql_archive_is_not_restored_into_sqlite(tmp_path: Path) -> None:
    archive = an_archive(tmp_path / "a.tar", a_manifest("postgresql"), database__dump=b"")

    with pytest.raises(CommandError, match="holds a PostgreSQL database; the target is SQLite"):
        restore(archive, "--database-url", f"sqlite:///{tmp_path / 'target.sqlite3'}")


def test_the_postgresql_password_goes_through_the_environment_not_the_command_line() -> None:
    arguments, environment = backups.pg_arguments(
        {
            "NAME": "liaison",
            "HOST": "db.example.org",
            "PORT": 5433,
            "USER": "liaison",
            "PASSWORD": "s3cret",
            "OPTIONS": {"sslmode": "require"},
        }
    )

    assert arguments == [
        "--no-password",
        "--host=db.example.org",
        "--port=5433",
        "--username=liaison",
        "--dbname=liaison",
    ]
    assert not any("s3cret" in argument for argument in arguments)
    assert environment["PGPASSWORD"] == "s3cret"
    assert environment["PGSSLMODE"] == "require"


def server_url(name: str) -> str:
    """A URL for database `name` on the server of the test database."""
    params = connection.settings_dict
    user = quote(params["USER"] or "postgres", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@contextmanager
def a_new_database() -> Iterator[str]:
    """An empty database on the same server, dropped at the end, pass or fail."""
    name = f"liaison_restore_{uuid.uuid4().hex[:8]}"
    server = psycopg2.connect(server_url("postgres"))
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield server_url(name)
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def demo_document_files() -> list[str]:
    """The stored names of the demo's documents (seed_demo uploads some: documents app)."""
    from django.apps import apps

    versions = apps.get_model("documents", "DocumentVersion")._default_manager
    return list(versions.exclude(file="").values_list("file", flat=True))


@pytest.mark.django_db(transaction=True)  # pg_dump, another process, sees committed rows only
def test_postgresql_backup_restores_every_row_into_a_new_database(
    tmp_path: Path, settings: Settings
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The PostgreSQL backup test needs PostgreSQL (set DATABASE_URL)")
    started = time.monotonic()
    settings.LIAISON_DEMO = True
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    settings.MEDIA_ROOT = tmp_path / "media"
    an_upload(settings.MEDIA_ROOT)

    archive = back_up(tmp_path / "backups")

    # The survey file, and the demo's documents.
    media = {f"media/{SURVEY}", *(f"media/{name}" for name in demo_document_files())}
    with tarfile.open(archive) as tar:
        assert set(tar.getnames()) == {"database.dump", "manifest.json", *media}
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    source = postgresql_row_counts(server_url(connection.settings_dict["NAME"]))
    assert manifest["tables"] == source
    with a_new_database() as url:
        output = restore(archive, "--database-url", url, "--media-root", f"{tmp_path}/restored")
        restored = postgresql_row_counts(url)

    print_counts("PostgreSQL test database (restored alike)", source)
    print(f"Round trip in {time.monotonic() - started:.1f} s")
    assert restored == source
    assert sum(source.values()) > 1000 and source["partners_organization"] == 40
    assert f"every count as in the manifest; {len(media)} media files" in output
    assert (tmp_path / "restored" / SURVEY).read_bytes() == SURVEY_BYTES
