"""A first history row for every program already in Liaison (see partners 0006): the program
as it was when change history was turned on, so that its first change shows what it was before.
"""

from django.db import migrations
from django.utils import timezone

BASELINE_REASON = "Change history starts here: the record as it was then."
BOOKKEEPING = {"history_id", "history_date", "history_type", "history_user_id"}
BATCH = 1000


def forwards(apps, schema_editor) -> None:
    model = apps.get_model("programs", "Program")
    historical = apps.get_model("programs", "HistoricalProgram")
    copied = {f.attname for f in historical._meta.concrete_fields} - BOOKKEEPING
    columns = [f.attname for f in model._meta.concrete_fields if f.attname in copied]
    now = timezone.now()
    rows = []
    for record in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
        rows.append(
            historical(
                history_date=now,
                history_type="~",
                history_change_reason=BASELINE_REASON,
                **{name: getattr(record, name) for name in columns},
            )
        )
        if len(rows) == BATCH:
            historical._base_manager.bulk_create(rows)
            rows = []
    historical._base_manager.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_change_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
