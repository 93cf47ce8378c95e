"""The search box's first programs, those whose title holds the words, in the order of titles
(search.selectors.first): an index on the title."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_program_tags")]

    operations = [
        migrations.AddIndex(
            model_name="program",
            index=models.Index(fields=["title", "id"], name="program_title_id"),
        ),
    ]
