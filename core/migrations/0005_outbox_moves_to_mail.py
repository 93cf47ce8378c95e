"""The outbox now lives in the mail app: its tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_staff_profile_reports_to"),
        ("mail", "0001_initial"),
    ]

    operations = [
        # The tables exist already (db_table): only Django's idea of where the models
        # live changes. No row is copied, and the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Heartbeat",
                ),
                migrations.DeleteModel(
                    name="OutgoingEmail",
                ),
            ],
            database_operations=[],
        ),
    ]
