"""The outbox moves from the core app to its own: its tables (core_outgoingemail…) stay."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The models' content types (and so their permissions and admin history) move with them.
MOVED = ["outgoingemail", "heartbeat"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="mail")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="mail", model__in=MOVED).update(app_label="core")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0004_staff_profile_reports_to"),
        ("partners", "0003_merge_record"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (db_table): only Django's idea of where the models
        # live changes. No row is copied, and the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        (
                            "name",
                            models.CharField(max_length=40, primary_key=True, serialize=False),
                        ),
                        ("last_run_at", models.DateTimeField()),
                        ("runs", models.PositiveBigIntegerField(default=0)),
                        ("last_result", models.CharField(blank=True, max_length=200)),
                    ],
                    options={
                        "db_table": "core_heartbeat",
                    },
                ),
                migrations.CreateModel(
                    name="OutgoingEmail",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("digest", "Daily digest"),
                                    ("meeting_reminder", "Meeting reminder"),
                                    ("manager_summary", "Weekly manager summary"),
                                    ("followup_assigned", "Follow-up assigned"),
                                    ("progress_update", "Partner progress update"),
                                    ("test", "Test email"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("idempotency_key", models.CharField(max_length=200, unique=True)),
                        ("to_address", models.EmailField(max_length=254, verbose_name="recipient")),
                        ("to_name", models.CharField(blank=True, max_length=200)),
                        ("subject", models.CharField(max_length=255)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("headers", models.JSONField(blank=True, default=dict)),
                        ("related_label", models.CharField(blank=True, max_length=200)),
                        ("related_url", models.CharField(blank=True, max_length=500)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                    ("suppressed", "Suppressed"),
                                ],
                                default="queued",
                                max_length=12,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("suppressed_reason", models.CharField(blank=True, max_length=200)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("claimed_by", models.CharField(blank=True, max_length=64)),
                        ("lease_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("message_id", models.CharField(max_length=255, verbose_name="Message-ID")),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        (
                            "contact",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="emails",
                                to="partners.contact",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="emails",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "core_outgoingemail",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
                            models.Index(fields=["kind", "-created_at"], name="outbox_kind_recent"),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "sending"), _negated=True),
                                    ("lease_expires_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="outbox_sending_has_lease",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
