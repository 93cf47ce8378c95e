"""Calendar-feed tokens stored hashed, step 1 of 2: add the hash and fill it from the token in
clear, so every feed address made before keeps working. Step 2 (0007) drops the clear token."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor) -> None:
    StaffProfile = apps.get_model("core", "StaffProfile")
    profiles = list(StaffProfile.objects.only("pk", "calendar_token"))
    for profile in profiles:
        # As core.models.calendar_token_hash() does it, copied: a migration must not change
        # when the code does.
        profile.calendar_token_hash = hashlib.sha256(profile.calendar_token.encode()).hexdigest()
    StaffProfile.objects.bulk_update(profiles, ["calendar_token_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_outbox_moves_to_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffprofile",
            name="calendar_token_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        # Backwards, the tokens in clear are still there (0007 puts them back first).
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]
