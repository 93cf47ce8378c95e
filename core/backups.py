"""Backups: one dated archive of the database and the uploaded files, and its restore.

An archive is a tar file, `liaison-backup-YYYYMMDD-HHMMSS.tar` (local time), readable only by
its owner, holding
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a copy
  made with SQLite's online backup API),
- `media/…`: every file under MEDIA_ROOT, copied after the database snapshot (so every file the
  database names is there, unless it was deleted in between),
- `manifest.json`: Liaison's version and commit, the database vendor, the time, each table's
  row count and the number and size of the media files.

The row counts describe exactly what the archive holds even while Liaison is in use: on
PostgreSQL they are counted in the snapshot that pg_dump dumps (`pg_export_snapshot`), on SQLite
in the copy itself. A restore goes only into an empty database unless forced, and checks the
restored counts against the manifest. `manage.py backup` and `manage.py restore` call these.
"""

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import warnings
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import environ
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.db.backends.base.base import NO_DB_ALIAS, BaseDatabaseWrapper
from django.db.utils import load_backend
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

MANIFEST_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
ARCHIVE_PREFIX = "liaison-backup-"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
# Debian and Ubuntu install each PostgreSQL version's client tools here.
POSTGRESQL_LIB = Path("/usr/lib/postgresql")
# Connection OPTIONS that libpq also reads from the environment (the command line stays clean).
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells a person why and what to do."""


@dataclass(frozen=True)
class Manifest:
    liaison_version: str | None
    commit: str | None
    vendor: str
    created_at: str
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    format: int = MANIFEST_FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @classmethod
    def from_json(cls, text: bytes) -> "Manifest":
        try:
            data = json.loads(text)
            manifest = cls(
                liaison_version=_optional_str(data["liaison_version"]),
                commit=_optional_str(data["commit"]),
                vendor=str(data["vendor"]),
                created_at=str(data["created_at"]),
                tables={str(table): int(rows) for table, rows in data["tables"].items()},
                media_files=int(data["media_files"]),
                media_bytes=int(data["media_bytes"]),
                format=int(data["format"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"The archive's {MANIFEST} is garbled ({exc!r}).") from exc
        if manifest.format > MANIFEST_FORMAT:
            raise BackupError(
                f"The archive was made by a newer Liaison (manifest format {manifest.format}); "
                "restore it with that version."
            )
        if manifest.vendor not in DATABASE_FILES:
            raise BackupError(f"The archive names an unknown database vendor {manifest.vendor!r}.")
        return manifest


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class TableCheck:
    table: str
    expected: int | None  # None: the table is not in the archive
    restored: int | None  # None: the table is missing after the restore

    @property
    def ok(self) -> bool:
        return self.expected == self.restored


@dataclass(frozen=True)
class Restore:
    manifest: Manifest
    tables: list[TableCheck]
    media_files: int

    @property
    def mismatches(self) -> list[TableCheck]:
        return [check for check in self.tables if not check.ok]

    @property
    def media_ok(self) -> bool:
        return self.media_files == self.manifest.media_files


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


@contextmanager
def database_open(*, alias: str = DEFAULT_DB_ALIAS, url: str = "") -> Iterator[BaseDatabaseWrapper]:
    """The database to back up or restore into: an alias of DATABASES, or a URL in
    DATABASE_URL's syntax for a database Liaison is not configured with (closed afterwards)."""
    if not url:
        if alias not in settings.DATABASES:
            raise BackupError(f"There is no database {alias!r} in DATABASES.")
        yield connections[alias]
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # django-environ warns before we explain
        config = environ.Env.db_url_config(url)
    if config.get("ENGINE") not in ENGINES:
        raise BackupError(
            "The database URL must be postgres://user@host:port/name or sqlite:////path/file."
        )
    # Django's own alias for a connection outside DATABASES (as for its "postgres" database):
    # connection_created receivers, such as django.contrib.postgres's, leave it alone.
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(config)})
    backend = load_backend(config["ENGINE"])
    connection = backend.DatabaseWrapper(configured[DEFAULT_DB_ALIAS], alias=NO_DB_ALIAS)
    try:
        yield connection
    finally:
        connection.close()


def database_describe(connection: BaseDatabaseWrapper) -> str:
    """The database in words, without its password."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {params['NAME']}"
    where = str(params["HOST"] or "the local socket")
    if params["PORT"]:
        where += f":{params['PORT']}"
    vendor = VENDOR_NAMES.get(connection.vendor, connection.vendor)
    return f"{vendor} database {params['NAME']!r} on {where}"


def row_counts(connection: BaseDatabaseWrapper, cursor: Any) -> dict[str, int]:
    """Every table's row count, by name, through `cursor` (which may be a raw DB-API cursor)."""
    counts: dict[str, int] = {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def liaison_version() -> str | None:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def liaison_commit() -> str | None:
    """The checkout's commit, when Liaison runs from a git checkout and git is installed."""
    git = shutil.which("git")
    if git is None or not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    result = subprocess.run(
        [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


# PostgreSQL: pg_dump and pg_restore.


def _tool_major(path: str) -> int | None:
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore from PATH or /usr/lib/postgresql/*/bin: the server's own major
    version if there is one, else a newer one (they read older servers, never newer ones)."""
    candidates = [found] if (found := shutil.which(name)) else []
    candidates += [str(path) for path in POSTGRESQL_LIB.glob(f"*/bin/{name}")]
    if not candidates:
        raise BackupError(
            f"{name} was not found on PATH or under {POSTGRESQL_LIB}/*/bin. Install the "
            f"PostgreSQL {server_major} client tools (Debian: apt-get install "
            f"postgresql-client-{server_major})."
        )
    versions = {path: _tool_major(path) for path in candidates}
    usable = [(major, path) for path, major in versions.items() if major and major >= server_major]
    if not usable:
        found_versions = ", ".join(f"{path} ({major})" for path, major in versions.items())
        raise BackupError(
            f"{name} must be PostgreSQL {server_major} or newer to work with this server; "
            f"found only {found_versions}. Install postgresql-client-{server_major}."
        )
    exact = [path for major, path in usable if major == server_major]
    return exact[0] if exact else min(usable)[1]


def pg_arguments(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore and their environment: the password goes
    through PGPASSWORD, never the command line (where `ps` shows it to every user)."""
    arguments = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments.append(f"{option}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        arguments.append(f"--dbname={settings_dict['NAME']}")
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in LIBPQ_ENVIRONMENT.items():
        if option in settings_dict.get("OPTIONS", {}):
            environment[variable] = str(settings_dict["OPTIONS"][option])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = result.stderr.strip() or "no message"
        raise BackupError(
            f"{Path(command[0]).name} failed (exit status {result.returncode}): {message}"
        )


def _postgresql_dump(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, int]:
    """pg_dump into `dump`, and the row counts of the very snapshot it dumped."""
    arguments, environment = pg_arguments(connection.settings_dict)
    # A connection of its own, so the snapshot stays open while pg_dump runs; its driver's
    # errors become Django's DatabaseError like any other.
    with connection.wrap_database_errors:
        raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True  # the transaction below is ours, not the driver's
        with connection.wrap_database_errors, raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')")
            snapshot, version = cursor.fetchone()
            counts = row_counts(connection, cursor)
            pg_dump = pg_tool("pg_dump", int(version) // 10000)
            dump_options = ["--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}"]
            _run([pg_dump, *dump_options, f"--file={dump}", *arguments], environment)
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return counts


def _postgresql_load(connection: BaseDatabaseWrapper, dump: Path, *, clean: bool) -> None:
    """pg_restore `dump` in one transaction: a failed restore leaves the database as it was."""
    arguments, environment = pg_arguments(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')")
        server_major = int(cursor.fetchone()[0]) // 10000
    pg_restore = pg_tool("pg_restore", server_major)
    options = ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
    if clean:  # the target has tables: drop the archive's before creating them again
        options += ["--clean", "--if-exists"]
    _run([pg_restore, *options, *arguments, str(dump)], environment)


# SQLite: the online backup API, both ways.


def _sqlite_dump(connection: BaseDatabaseWrapper, copy: Path) -> dict[str, int]:
    name = str(connection.settings_dict["NAME"])
    if not connection.is_in_memory_db() and not Path(name).is_file():  # type: ignore[attr-defined]
        # Connecting would create an empty database there and "back it up".
        raise BackupError(f"There is no SQLite database at {name}.")
    connection.ensure_connection()
    with connection.wrap_database_errors, closing(sqlite3.connect(copy)) as destination:
        connection.connection.backup(destination)
    with connection.wrap_database_errors, closing(sqlite3.connect(copy)) as copied:
        return row_counts(connection, copied.cursor())


def _sqlite_load(connection: BaseDatabaseWrapper, copy: Path) -> None:
    """Replace the whole target database with the copy, page by page."""
    connection.ensure_connection()
    with connection.wrap_database_errors, closing(sqlite3.connect(copy)) as source:
        source.backup(connection.connection)


# Media files.


def _media_add(archive: tarfile.TarFile, media_root: Path) -> tuple[int, int]:
    """Add every regular file under MEDIA_ROOT as media/…; the number of files and bytes."""
    if not media_root.is_dir():
        return 0, 0
    count = size = 0
    for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
        name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
        try:
            with path.open("rb") as file:
                info = archive.gettarinfo(arcname=name, fileobj=file)
                archive.addfile(info, file)
        except FileNotFoundError:  # deleted since the listing: Liaison is in use
            continue
        count, size = count + 1, size + info.size
    return count, size


def _media_extract(archive: tarfile.TarFile, media_root: Path) -> int:
    """Write the archive's media files into MEDIA_ROOT (same names are overwritten)."""
    media_root.mkdir(parents=True, exist_ok=True)
    extracted = 0
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.parts[:1] != (MEDIA,) or len(path.parts) < 2 or not member.isfile():
            continue
        relative = PurePosixPath(*path.parts[1:]).as_posix()
        # The "data" filter refuses absolute paths, "..", links and device files.
        archive.extract(member.replace(name=relative, deep=False), media_root, filter="data")
        extracted += 1
    return extracted


# The archive.


def backup_write(*, connection: BaseDatabaseWrapper, output_dir: Path, media_root: Path) -> Backup:
    """Write one archive of the database and MEDIA_ROOT into `output_dir`."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    created = timezone.localtime()
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"{ARCHIVE_PREFIX}{created:%Y%m%d-%H%M%S}.tar"
    if archive.exists():
        raise BackupError(f"{archive} already exists; wait a second and run the backup again.")
    # Work next to the archive (same disk, enough room); a partial archive never has its name.
    with tempfile.TemporaryDirectory(prefix=".liaison-backup-", dir=output_dir) as work:
        database_file = Path(work) / DATABASE_FILES[vendor]
        try:
            dump = _postgresql_dump if vendor == "postgresql" else _sqlite_dump
            tables = dump(connection, database_file)
        except DatabaseError as exc:
            raise BackupError(f"{database_describe(connection)}: {exc}") from exc
        if not tables:
            raise BackupError(f"{database_describe(connection)} has no tables: nothing to back up.")
        partial = Path(work) / archive.name
        with tarfile.open(partial, "w") as tar:
            tar.add(database_file, arcname=database_file.name)
            media_files, media_bytes = _media_add(tar, media_root)
            manifest = Manifest(
                liaison_version=liaison_version(),
                commit=liaison_commit(),
                vendor=vendor,
                created_at=created.isoformat(timespec="seconds"),
                tables=tables,
                media_files=media_files,
                media_bytes=media_bytes,
            )
            _add_bytes(tar, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
        partial.chmod(0o600)  # password hashes and partners' contact details
        os.replace(partial, archive)
    return Backup(path=archive, manifest=manifest)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


@contextmanager
def archive_open(path: Path) -> Iterator[tuple[tarfile.TarFile, Manifest]]:
    """The archive and its manifest, or a BackupError saying what is wrong with it."""
    if not path.is_file():
        raise BackupError(f"There is no backup archive at {path}.")
    try:
        tar = tarfile.open(path)  # noqa: SIM115 (closed below, once known to be an archive)
    except tarfile.TarError as exc:
        raise BackupError(
            f"{path} is not a tar archive made by `manage.py backup`, or it is damaged."
        ) from exc
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    with tar:
        yield tar, _manifest_read(tar, path)


def _manifest_read(tar: tarfile.TarFile, path: Path) -> Manifest:
    try:
        member = tar.extractfile(MANIFEST)
        return Manifest.from_json(member.read() if member else b"")
    except KeyError as exc:
        raise BackupError(
            f"{path} has no {MANIFEST}: it is not an archive made by `manage.py backup`."
        ) from exc
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc


def _database_extract(tar: tarfile.TarFile, manifest: Manifest, work: Path) -> Path:
    name = DATABASE_FILES[manifest.vendor]
    try:
        source = tar.extractfile(name)
    except KeyError:
        source = None
    if source is None:
        raise BackupError(f"The archive has no {name}: it is incomplete.")
    target = work / name
    with source, target.open("wb") as file:
        shutil.copyfileobj(source, file)
    return target


def _target_check(connection: BaseDatabaseWrapper, manifest: Manifest, *, force: bool) -> bool:
    """Refuse a vendor mismatch, and a target holding rows unless forced; whether it has tables."""
    if connection.vendor != manifest.vendor:
        archive_vendor = VENDOR_NAMES[manifest.vendor]
        raise BackupError(
            f"The archive holds a {archive_vendor} database; the target is "
            f"{database_describe(connection)}. Restore it into a {archive_vendor} database."
        )
    with connection.cursor() as cursor:
        existing = row_counts(connection, cursor)
    filled = {table: rows for table, rows in existing.items() if rows}
    if filled and not force:
        examples = ", ".join(f"{table} ({rows})" for table, rows in list(filled.items())[:3])
        raise BackupError(
            f"{database_describe(connection)} is not empty: {len(filled)} tables hold "
            f"{sum(filled.values()):,} rows ({examples}…). Restore into an empty database, or "
            "pass --force to replace its contents with the archive's."
        )
    return bool(existing)


def backup_restore(
    *, archive: Path, connection: BaseDatabaseWrapper, media_root: Path, force: bool = False
) -> Restore:
    """Load the archive into an empty database (any database with `force`) and MEDIA_ROOT,
    then count every table again."""
    with archive_open(archive) as (tar, manifest):
        try:
            has_tables = _target_check(connection, manifest, force=force)
            with tempfile.TemporaryDirectory(prefix="liaison-restore-") as work:
                database_file = _database_extract(tar, manifest, Path(work))
                if manifest.vendor == "postgresql":
                    _postgresql_load(connection, database_file, clean=has_tables)
                else:
                    _sqlite_load(connection, database_file)
            media_files = _media_extract(tar, media_root)
            with connection.cursor() as cursor:
                restored = row_counts(connection, cursor)
        except DatabaseError as exc:
            raise BackupError(f"{database_describe(connection)}: {exc}") from exc
        except (tarfile.TarError, EOFError) as exc:
            raise BackupError(f"{archive} is damaged: {exc}") from exc
    tables = sorted(manifest.tables.keys() | restored.keys())
    checks = [TableCheck(t, manifest.tables.get(t), restored.get(t)) for t in tables]
    return Restore(manifest=manifest, tables=checks, media_files=media_files)


def database_arguments(parser: ArgumentParser) -> None:
    """--database and --database-url, for both commands."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--database",
        default=DEFAULT_DB_ALIAS,
        help="The DATABASES alias to use (default: 'default', i.e. DATABASE_URL).",
    )
    which.add_argument(
        "--database-url",
        default="",
        help="A database Liaison is not configured with, in DATABASE_URL's syntax: "
        "postgres://user@host:5432/name or sqlite:////absolute/path/liaison.sqlite3. "
        "A password in it goes to pg_dump/pg_restore through PGPASSWORD.",
    )


def size_describe(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")
