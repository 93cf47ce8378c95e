"""An opt-out can come from an imported file (transfer.writers): a new source in the consent log.

Choices only: no column changes, every row stays.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0009_accent_insensitive_search_and_name_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="optoutchange",
            name="source",
            field=models.CharField(
                choices=[
                    ("unsubscribe_link", "Unsubscribe link in an email"),
                    ("contact_form", "Contact form"),
                    ("resubscribe", "Subscribed again"),
                    ("import", "Imported from a file"),
                ],
                max_length=20,
            ),
        ),
    ]
