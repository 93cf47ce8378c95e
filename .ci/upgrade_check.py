"""Upgrade check: a database made by an older Liaison upgrades with `migrate`, every row kept.

    python .ci/upgrade_check.py --from REF        (make test-upgrade FROM=REF)

1. Exports REF (`git archive`) to a temporary folder and, with that code, creates a fresh
   PostgreSQL database, migrates it and loads `seed_demo` (demo users included).
2. Records every table's row count and a sample of its rows (the first and last rows by their
   first column, every column compared).
3. Migrates the same database with this checkout's code and records them again: each table must
   hold the same rows. Only Django's own bookkeeping may change, and only as the upgrade says:
   `django_migrations` gains rows (none lost) and a moved model's content type keeps its id and
   model name while its app label follows the model (core → mail, outreach → programs/updates).
4. Serves the pages a librarian and a manager use, as the demo manager, on the upgraded database
   with this checkout's code: each must answer 200.

Needs PostgreSQL (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/). The
database is dropped at the end, pass or fail. Exits non-zero on any difference.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

HERE = Path(__file__).resolve().parent.parent
SAMPLE = 25
# Bookkeeping tables whose changes are the upgrade itself, checked on their own below.
BOOKKEEPING = {"django_migrations", "django_content_type", "django_session"}
# Django adds the permissions of new models: rows may be added, none lost or changed.
GROWS = {"auth_permission"}
# Columns an upgrade recomputes from the row's own data on purpose, with the migration that does.
RECOMPUTED = {
    # The duplicate-name key now expands abbreviations and drops accents (Dept = Department).
    ("partners_organization", "normalized_name"): "partners.0009",
    # Not the row's own data alone: a contact's search words now hold their affiliations'
    # titles too, and the affiliations' own words are dropped (their titles are the contact's).
    ("partners_contact", "search_words"): "search.0002",
    ("partners_affiliation", "search_words"): "search.0002",
}
# Change history (core.history): a new historical table starts with one row per record its
# baseline migration found (partners 0006, programs 0003), and no other.
HISTORY_BASELINE = {
    "partners_historicalorganization": "partners_organization",
    "partners_historicalcontact": "partners_contact",
    "partners_historicalaffiliation": "partners_affiliation",
    "programs_historicalprogram": "outreach_program",
}

# New tables an upgrade fills, from the rows already there or with what Liaison ships, with the
# migration that does, and a query of the upgraded database that gives True when they hold
# what they must.
DERIVED = {
    # The four playbooks Liaison ships, and their steps (playbooks.shipped, playbooks 0002).
    "playbooks_playbook": (
        "playbooks.0002",
        "SELECT ARRAY(SELECT name FROM playbooks_playbook ORDER BY name) = ARRAY["
        "'Annual partnership review', 'Joint grant application', 'New government partner',"
        " 'New health partner']::varchar[]",
    ),
    "playbooks_playbookstep": (
        "playbooks.0002",
        "SELECT (SELECT COUNT(DISTINCT playbook_id) FROM playbooks_playbookstep) = 4"
        " AND NOT EXISTS (SELECT 1 FROM playbooks_playbookstep s WHERE NOT EXISTS ("
        "SELECT 1 FROM playbooks_playbook p WHERE p.id = s.playbook_id))",
    ),
    # The organizations per owner and stage (partners.models.StageTally, partners 0012).
    "partners_stagetally": (
        "partners.0012",
        "SELECT (SELECT COALESCE(SUM(organizations), 0) FROM partners_stagetally)"
        " = (SELECT COUNT(*) FROM partners_organization WHERE NOT is_archived)"
        " AND NOT EXISTS (SELECT 1 FROM partners_stagetally t WHERE t.organizations <> ("
        "SELECT COUNT(*) FROM partners_organization o WHERE NOT o.is_archived"
        " AND COALESCE(o.owner_id, 0) = t.owner_key AND o.stage = t.stage))",
    ),
}


def derived_problems(url: str, after: dict) -> list[str]:
    """The DERIVED tables the upgrade made that do not hold what they must."""
    problems = []
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        for table, (migration, check) in DERIVED.items():
            if table not in after:
                continue
            cursor.execute(check)
            if not cursor.fetchone()[0]:
                problems.append(f"{table}: not what {migration} should have filled it with")
    return problems


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def database_url(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection():
    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    return connection


def run(code: Path, env: dict, *args: str) -> None:
    print(f"  [{code.name}] python manage.py {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=code, env=env, check=True)


def snapshot(url: str) -> dict[str, tuple[int, list]]:
    """Every table: (row count, the first and last SAMPLE rows ordered by the first column)."""
    tables: dict[str, tuple[int, list]] = {}
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            count = cursor.fetchone()[0]
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1 LIMIT {SAMPLE}')
            rows = cursor.fetchall()
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1 DESC LIMIT {SAMPLE}')
            rows += cursor.fetchall()
            # Rows by column name: a column the upgrade adds (and fills) is no change to the
            # columns that were there (compare() looks at those only).
            names = [column.name for column in cursor.description]
            tables[table] = (count, [dict(zip(names, map(repr, row), strict=True)) for row in rows])
    return tables


def content_types(url: str) -> dict[int, tuple[str, str]]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        return {pk: (app, model) for pk, app, model in cursor.fetchall()}


def applied(url: str) -> set[tuple[str, str]]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return set(cursor.fetchall())


# Where each moved model went: (old app label, model) -> new app label.
MOVED = {
    ("core", "outgoingemail"): "mail",
    ("core", "heartbeat"): "mail",
    **{
        ("outreach", model): "programs"
        for model in [
            "program",
            "programpartner",
            "programsession",
            "grant",
            "supportletter",
            "grantdeliverable",
            "outcome",
            "story",
            "surveyresult",
        ]
    },
    ("outreach", "progresssubscription"): "updates",
    ("outreach", "progressupdate"): "updates",
}


def compare(before: dict, after: dict, types_before: dict, types_after: dict) -> list[str]:
    problems = []
    for table, (count, rows) in sorted(before.items()):
        if table in BOOKKEEPING:
            continue
        if table not in after:
            problems.append(f"{table}: the table is gone ({count} rows)")
            continue
        new_count, new_rows = after[table]
        # Only the columns the table had before the upgrade: new ones are the upgrade's to fill,
        # and RECOMPUTED ones its to rewrite.
        kept = [name for name in rows[0] if (table, name) not in RECOMPUTED] if rows else []
        rows = [{name: row[name] for name in kept} for row in rows]
        new_rows = [{name: row.get(name) for name in kept} for row in new_rows]
        if table in GROWS:
            if new_count < count or new_rows[: min(count, SAMPLE)] != rows[: min(count, SAMPLE)]:
                problems.append(
                    f"{table}: rows lost or changed ({count} before, {new_count} after)"
                )
            continue
        if new_count != count:
            problems.append(f"{table}: {count} rows before, {new_count} after")
        elif new_rows != rows:
            columns = sorted(
                {
                    name
                    for old, new in zip(rows, new_rows, strict=False)
                    for name in old
                    if old[name] != new[name]
                }
            )
            problems.append(
                f"{table}: the sampled rows differ after the upgrade ({', '.join(columns)})"
            )
    for table in sorted(set(after) - set(before) - BOOKKEEPING - set(DERIVED)):
        baseline = HISTORY_BASELINE.get(table)
        expected = after[baseline][0] if baseline in after else 0
        if after[table][0] != expected:
            problems.append(f"{table}: a new table that already holds {after[table][0]} rows")
    for pk, (app, model) in sorted(types_before.items()):
        expected = (MOVED.get((app, model), app), model)
        if types_after.get(pk) != expected:
            problems.append(f"content type {pk} {app}.{model} became {types_after.get(pk)}")
    return problems


PAGES_SCRIPT = """
import django, sys
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
from outreach.models import Meeting, Touchpoint
from partners.models import Contact, Organization
from programs.models import Program, SurveyResult
from updates.models import ProgressUpdate
from mail.models import OutgoingEmail

setup_test_environment()
client = Client()
client.force_login(User.objects.get(username="manager"))
organization = Organization.objects.filter(is_archived=False).order_by("pk").first()
pages = [
    "/", "/pipeline/", "/organizations/", f"/organizations/{organization.pk}/",
    f"/organizations/{organization.pk}/edit/", "/contacts/",
    f"/contacts/{Contact.objects.order_by('pk').first().pk}/",
    "/touchpoints/", f"/touchpoints/{Touchpoint.objects.order_by('pk').first().pk}/",
    "/meetings/", "/meetings/calendar/", f"/meetings/{Meeting.objects.order_by('pk').first().pk}/",
    "/followups/", "/programs/", f"/programs/{Program.objects.order_by('pk').first().pk}/",
    "/grants/", f"/impact/?organization={organization.pk}", "/progress/",
    "/reports/", "/reports/pipeline/", "/reports/activity/", "/reports/portfolio/",
    "/reports/programs/", "/email/", "/imports/", "/accounts/profile/",
    "/organizations/export/?format=csv", "/touchpoints/export/?format=csv",
]
if OutgoingEmail.objects.exists():
    pages.append(f"/email/{OutgoingEmail.objects.order_by('pk').first().pk}/")
update = ProgressUpdate.objects.order_by("pk").first()
if update:
    pages.append(f"/progress/{update.pk}/")
failed = []
for page in pages:
    status = client.get(page).status_code
    print(f"    {status} {page}")
    if status != 200:
        failed.append(f"{page} answered {status}")
if failed:
    sys.exit("Pages that do not work on the upgraded database: " + "; ".join(failed))
print(f"  {len(pages)} pages answered 200 on the upgraded database.")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="ref", required=True, help="the git ref to upgrade from")
    args = parser.parse_args()
    name = f"liaison_upgrade_{os.getpid()}"
    url = database_url(name)
    with tempfile.TemporaryDirectory(prefix="liaison-upgrade-") as temp:
        old = Path(temp) / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.ref], cwd=HERE, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "1",
            "LIAISON_VAR_DIR": str(Path(temp) / "var"),
            "REDIS_URL": "memory://",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        admin = admin_connection()
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            print(f"Upgrade check: {args.ref} -> this checkout, on database {name}")
            run(old, env, "migrate", "--noinput", "-v", "0")
            run(old, env, "seed_demo", "--if-empty")
            before, types_before = snapshot(url), content_types(url)
            migrations_before = applied(url)
            run(HERE, env, "migrate", "--noinput", "-v", "0")
            after, types_after = snapshot(url), content_types(url)
            problems = compare(before, after, types_before, types_after)
            problems += derived_problems(url, after)
            lost = migrations_before - applied(url)
            if lost:
                problems.append(f"django_migrations lost {sorted(lost)}")
            rows = sum(count for table, (count, _rows) in before.items())
            print(f"  {len(before)} tables, {rows} rows before the upgrade; compared after it.")
            if problems:
                print("Rows changed by the upgrade:\n  " + "\n  ".join(problems))
                return 1
            print("  Every table kept its rows (counts and sampled rows equal).")
            subprocess.run(
                [sys.executable, "-c", PAGES_SCRIPT],
                cwd=HERE,
                env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                check=True,
            )
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    print("Upgrade check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
