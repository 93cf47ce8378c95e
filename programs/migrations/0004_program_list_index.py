"""The program list in its own order (newest dates first, undated last, then title): a page of
it read from an index instead of every program sorted for it (2.5 ms at 3,000 programs).

PostgreSQL only: SQLite, the embedded default, takes no NULLS LAST in an index, so the index is
not one of the model's (programs.models.Program.Meta) and is made here on PostgreSQL alone.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS program_dates ON outreach_program "
    "(start_date DESC NULLS LAST, title, id)"
)
DROP = "DROP INDEX IF EXISTS program_dates"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_history_baseline")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
