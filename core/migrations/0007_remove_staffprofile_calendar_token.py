"""Calendar-feed tokens stored hashed, step 2 of 2: drop the token in clear (0006 hashed it).

Backwards, the tokens cannot come back: every profile gets a new one (each feed a new address)."""

import hashlib
import secrets

from django.db import migrations, models


def new_tokens(apps, schema_editor) -> None:
    StaffProfile = apps.get_model("core", "StaffProfile")
    profiles = list(StaffProfile.objects.only("pk"))
    for profile in profiles:
        profile.calendar_token = secrets.token_urlsafe(32)
        profile.calendar_token_hash = hashlib.sha256(profile.calendar_token.encode()).hexdigest()
    StaffProfile.objects.bulk_update(
        profiles, ["calendar_token", "calendar_token_hash"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_staffprofile_calendar_token_hash"),
    ]

    operations = [
        # Nullable first, so that going back can add the column before it has values again.
        migrations.AlterField(
            model_name="staffprofile",
            name="calendar_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, new_tokens),
        migrations.RemoveField(
            model_name="staffprofile",
            name="calendar_token",
        ),
    ]
