"""manage.py backup: the database and the uploaded files in one dated archive (core.backups)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backups
from core.rows import plural


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database (pg_dump on PostgreSQL, SQLite's online "
        "backup API on SQLite) and every file under MEDIA_ROOT into one archive, "
        "liaison-backup-YYYYMMDD-HHMMSS.tar, with a manifest.json of each table's row count. "
        "Safe to run while Liaison is in use. Bring it back with `manage.py restore`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="The folder for the archive (default: backups/ under LIAISON_VAR_DIR, "
            "var/backups/ on a laptop). Created if missing.",
        )
        backups.database_arguments(parser)

    def handle(
        self, *args: Any, output: Path | None, database: str, database_url: str, **options: Any
    ) -> None:
        output_dir = output if output is not None else Path(settings.VAR_DIR) / "backups"
        try:
            with backups.database_open(alias=database, url=database_url) as connection:
                backup = backups.backup_write(
                    connection=connection,
                    output_dir=output_dir.resolve(),
                    media_root=Path(settings.MEDIA_ROOT),
                )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        storage = settings.STORAGES["default"]["BACKEND"]
        if storage != "django.core.files.storage.FileSystemStorage":
            self.stderr.write(
                self.style.WARNING(
                    f"Uploaded files are stored by {storage}, not under MEDIA_ROOT: back them "
                    "up where they are kept (this archive holds only MEDIA_ROOT's files)."
                )
            )
        manifest = backup.manifest
        if options["verbosity"] >= 2:
            for table, rows in manifest.tables.items():
                self.stdout.write(f"  {table:<45} {rows:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest.tables)} tables ({manifest.rows:,} rows) and "
                f"{plural(manifest.media_files, 'media file')} "
                f"({backups.size_describe(manifest.media_bytes)}) to {backup.path} "
                f"({backups.size_describe(backup.path.stat().st_size)})."
            )
        )
