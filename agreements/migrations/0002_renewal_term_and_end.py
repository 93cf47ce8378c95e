from django.db import migrations, models


def ended_on(apps, schema_editor):
    """Agreements that ended before these fields: expired at their end date, terminated on the
    day they were last changed."""
    Agreement = apps.get_model("agreements", "Agreement")
    for agreement in Agreement.objects.filter(status__in=["expired", "terminated"]):
        day = agreement.ends_on if agreement.status == "expired" else None
        agreement.ended_on = day or agreement.updated_at.date()
        agreement.save(update_fields=["ended_on"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_agreements")]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="renewal_term",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="ended_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(ended_on, migrations.RunPython.noop),
    ]
