"""manage.py restore ARCHIVE: an archive of `manage.py backup` back into an empty database."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backups
from core.rows import plural


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an empty database of the same "
        "vendor (by default the one DATABASE_URL names; see --database-url) and its files into "
        "MEDIA_ROOT, then check every table's row count against the archive's manifest. "
        "Stop the web, worker and beat processes first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="A liaison-backup-….tar file.")
        backups.database_arguments(parser)
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="Where the uploaded files go (default: MEDIA_ROOT). A trial restore into a "
            "scratch database can keep them away from the live files.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the target database holds rows: the archive's tables "
            "replace them (PostgreSQL: pg_restore --clean; SQLite: the whole database). "
            "Media files with the same names are overwritten either way.",
        )

    def handle(
        self,
        *args: Any,
        archive: Path,
        database: str,
        database_url: str,
        media_root: Path | None,
        force: bool,
        **options: Any,
    ) -> None:
        media_root = media_root or Path(settings.MEDIA_ROOT)
        try:
            with backups.database_open(alias=database, url=database_url) as connection:
                target = backups.database_describe(connection)
                restore = backups.backup_restore(
                    archive=archive, connection=connection, media_root=media_root, force=force
                )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self._report(archive, target, restore)
        self._verdict(restore, media_root, quiet=options["verbosity"] == 0)

    def _report(self, archive: Path, target: str, restore: backups.Restore) -> None:
        manifest = restore.manifest
        self.stdout.write(
            f"Restored {archive.name} (Liaison {manifest.liaison_version or 'version unknown'}, "
            f"commit {(manifest.commit or 'unknown')[:12]}, made {manifest.created_at}) "
            f"into {target}."
        )
        self.stdout.write(f"  {'table':<45} {'archive':>9} {'restored':>9}")
        for check in restore.tables:
            expected = "-" if check.expected is None else f"{check.expected:,}"
            restored = "-" if check.restored is None else f"{check.restored:,}"
            flag = "" if check.ok else "  MISMATCH"
            self.stdout.write(f"  {check.table:<45} {expected:>9} {restored:>9}{flag}")

    def _verdict(self, restore: backups.Restore, media_root: Path, *, quiet: bool) -> None:
        manifest = restore.manifest
        problems = [
            f"{check.table} (archive {check.expected}, restored {check.restored})"
            for check in restore.mismatches
        ]
        if not restore.media_ok:
            problems.append(
                f"media files (archive {manifest.media_files}, restored {restore.media_files})"
            )
        if problems:
            raise CommandError(
                "The restore finished but does not match the archive's manifest: "
                + "; ".join(problems)
            )
        if quiet:
            return
        media = plural(restore.media_files, "media file")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(manifest.tables)} tables and {manifest.rows:,} rows, every count as in "
                f"the manifest; {media} in {media_root}."
            )
        )
        self.stdout.write(
            "If this Liaison is newer than the one that made the backup, run "
            "`python manage.py migrate` now."
        )
