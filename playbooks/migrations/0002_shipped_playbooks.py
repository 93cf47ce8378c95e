"""The four playbooks Liaison ships (playbooks/shipped.py), in every database: managers edit
them afterwards like their own. Reversed, it leaves them: nothing is deleted."""

from django.db import migrations

from playbooks.shipped import playbooks_ship


def ship(apps, schema_editor):
    playbooks_ship(
        apps.get_model("playbooks", "Playbook"), apps.get_model("playbooks", "PlaybookStep")
    )


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0001_playbooks")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
