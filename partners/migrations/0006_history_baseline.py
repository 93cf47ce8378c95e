"""A first history row for every organization, contact and affiliation already in Liaison.

Without it, the first change after the upgrade could not say what a field was before (the
history panel compares each row with the one before it). The row is the record as it was when
change history was turned on, with no user and a reason saying so; records created later get
their first row from simple-history itself.
"""

from django.db import migrations
from django.utils import timezone

BASELINE_REASON = "Change history starts here: the record as it was then."
BOOKKEEPING = {"history_id", "history_date", "history_type", "history_user_id"}
BATCH = 1000


def baseline(apps, schema_editor, *, model_name: str) -> None:
    model = apps.get_model("partners", model_name)
    historical = apps.get_model("partners", f"Historical{model_name}")
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


def forwards(apps, schema_editor) -> None:
    for model_name in ("Organization", "Contact", "Affiliation"):
        baseline(apps, schema_editor, model_name=model_name)


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_change_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
