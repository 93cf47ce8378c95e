from django.db import migrations

FOCUS_AREAS = [
    "Arts and culture",
    "Civic engagement",
    "Community development",
    "Digital literacy",
    "Early literacy",
    "Education",
    "Food security",
    "Health literacy",
    "Housing",
    "Immigrant and refugee services",
    "Mental health",
    "Older adults",
    "Social services",
    "Wellness",
    "Workforce development",
    "Youth and teens",
]

# Full-text search on names (partners.models.full_text_filter). The expression must match
# SearchVector(field, config="simple") exactly for PostgreSQL to use the index. SQLite has no
# GIN indexes; it searches with icontains instead.
SEARCH_INDEXES = {
    "partners_org_name_fts": "partners_organization",
    "partners_contact_name_fts": "partners_contact",
}


def add_focus_areas(apps, schema_editor):
    FocusArea = apps.get_model("partners", "FocusArea")
    for name in FOCUS_AREAS:
        FocusArea.objects.get_or_create(name=name)


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, table in SEARCH_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(name, '')))"
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.RunPython(add_focus_areas, migrations.RunPython.noop),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
