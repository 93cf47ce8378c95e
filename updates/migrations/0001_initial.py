"""Partner progress updates move from the outreach app to their own; their tables stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The models' content types (and so their permissions and admin history) move with them.
MOVED = ["progresssubscription", "progressupdate"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outreach", model__in=MOVED).update(app_label="updates")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="updates", model__in=MOVED).update(app_label="outreach")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("outreach", "0003_progress_updates"),
        ("partners", "0003_merge_record"),
        ("programs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (db_table): only Django's idea of where the models
        # live changes. No row is copied, and the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProgressSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "cadence",
                            models.CharField(
                                choices=[
                                    ("monthly", "Every month"),
                                    ("quarterly", "Every quarter (January, April, July, October)"),
                                ],
                                default="quarterly",
                                max_length=12,
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("review", "Draft it for me to review and send"),
                                    ("auto", "Send it automatically"),
                                ],
                                default="review",
                                max_length=10,
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(
                                default=True,
                                help_text="Inactive subscriptions draft no more updates.",
                                verbose_name="active",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress_subscriptions",
                                to="partners.organization",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                help_text="The staff member who reviews each update before it goes out.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="progress_subscriptions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress_subscriptions",
                                to="programs.program",
                            ),
                        ),
                        (
                            "recipients",
                            models.ManyToManyField(
                                blank=True,
                                related_name="progress_subscriptions",
                                to="partners.contact",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_progresssubscription",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ProgressUpdate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("period_start", models.DateField()),
                        ("period_end", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Awaiting review"),
                                    ("sent", "Sent"),
                                    ("skipped", "Skipped"),
                                ],
                                default="draft",
                                max_length=10,
                            ),
                        ),
                        ("subject", models.CharField(max_length=200)),
                        ("message", models.TextField(blank=True, max_length=10000)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("skipped_at", models.DateTimeField(blank=True, null=True)),
                        ("recipients_count", models.PositiveIntegerField(default=0)),
                        (
                            "approved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "skipped_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "subscription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="updates.progresssubscription",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_progressupdate",
                        "ordering": ["-period_end", "-pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="progresssubscription",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("organization__isnull", False), ("program__isnull", True)),
                            models.Q(("organization__isnull", True), ("program__isnull", False)),
                            _connector="OR",
                        ),
                        name="progress_subscription_organization_xor_program",
                        violation_error_message="An update is about one organization or one program.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="progressupdate",
                    index=models.Index(
                        fields=["status", "-period_end"], name="progress_update_status_end"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progressupdate",
                    constraint=models.UniqueConstraint(
                        fields=("subscription", "period_start"),
                        name="progress_update_once_per_period",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progressupdate",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))),
                        name="progress_update_period_in_order",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progressupdate",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("sent_at__isnull", False), ("status", "sent")),
                            models.Q(
                                models.Q(("status", "sent"), _negated=True),
                                ("sent_at__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="progress_update_sent_at_iff_sent",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
