"""Organizations per owner and stage (partners.models.StageTally), kept by the database.

Triggers on partners_organization keep the tally as rows are inserted, deleted, or change
stage, owner or archived state, whatever writes them; the tally starts from the rows there are.
One set of triggers for PostgreSQL (a PL/pgSQL function) and one for SQLite, the embedded
default. The stages are written into the model's choices as they were when it was made.
"""

from django.db import migrations, models

FILL = (
    "INSERT INTO partners_stagetally (owner_key, stage, organizations) "
    "SELECT COALESCE(owner_id, 0), stage, COUNT(*) FROM partners_organization "
    "WHERE NOT is_archived GROUP BY COALESCE(owner_id, 0), stage"
)

# Add one to the tally of NEW's owner and stage, unless NEW is archived.
_ADD = (
    "INSERT INTO partners_stagetally (owner_key, stage, organizations) "
    "SELECT COALESCE(NEW.owner_id, 0), NEW.stage, 1 WHERE NOT NEW.is_archived "
    "ON CONFLICT (owner_key, stage) DO UPDATE "
    "SET organizations = partners_stagetally.organizations + 1"
)
# Take one from the tally of OLD's owner and stage, unless OLD was archived.
_TAKE = (
    "UPDATE partners_stagetally SET organizations = organizations - 1 "
    "WHERE NOT OLD.is_archived AND owner_key = COALESCE(OLD.owner_id, 0) AND stage = OLD.stage"
)
_CHANGED = (
    "OLD.stage IS DISTINCT FROM NEW.stage OR OLD.owner_id IS DISTINCT FROM NEW.owner_id "
    "OR OLD.is_archived IS DISTINCT FROM NEW.is_archived"
)

POSTGRESQL = [
    f"""CREATE FUNCTION partners_stage_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN {_TAKE}; END IF;
    IF TG_OP <> 'DELETE' THEN {_ADD}; END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER partners_stage_tally_rows AFTER INSERT OR DELETE ON partners_organization "
    "FOR EACH ROW EXECUTE FUNCTION partners_stage_tally()",
    "CREATE TRIGGER partners_stage_tally_changes "
    "AFTER UPDATE OF stage, owner_id, is_archived ON partners_organization "
    f"FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION partners_stage_tally()",
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS partners_stage_tally_rows ON partners_organization",
    "DROP TRIGGER IF EXISTS partners_stage_tally_changes ON partners_organization",
    "DROP FUNCTION IF EXISTS partners_stage_tally()",
]

SQLITE = [
    "CREATE TRIGGER partners_stage_tally_insert AFTER INSERT ON partners_organization "
    f"BEGIN {_ADD}; END",
    "CREATE TRIGGER partners_stage_tally_delete AFTER DELETE ON partners_organization "
    f"BEGIN {_TAKE}; END",
    "CREATE TRIGGER partners_stage_tally_update "
    "AFTER UPDATE OF stage, owner_id, is_archived ON partners_organization "
    f"WHEN {_CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN {_TAKE}; {_ADD}; END",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS partners_stage_tally_insert",
    "DROP TRIGGER IF EXISTS partners_stage_tally_delete",
    "DROP TRIGGER IF EXISTS partners_stage_tally_update",
]


def _triggers(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in [*statements, FILL]:
        schema_editor.execute(statement)


def _no_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_UNDO if postgresql else SQLITE_UNDO:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("partners", "0011_quiet_partners_order_index")]

    operations = [
        migrations.CreateModel(
            name="StageTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("owner_key", models.IntegerField()),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("identified", "Identified"),
                            ("researching", "Researching"),
                            ("contacted", "Contacted"),
                            ("in_discussion", "In discussion"),
                            ("active", "Active partner"),
                            ("dormant", "Dormant"),
                            ("declined", "Declined"),
                        ],
                        max_length=20,
                    ),
                ),
                ("organizations", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("owner_key", "stage"), name="stage_tally_key")
                ]
            },
        ),
        migrations.RunPython(_triggers, _no_triggers),
    ]
