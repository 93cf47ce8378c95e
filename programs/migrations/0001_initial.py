"""Joint programs move from the outreach app to their own: their tables (outreach_program…) stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The models' content types (and so their permissions and admin history) move with them.
MOVED = [
    "program",
    "programpartner",
    "programsession",
    "grant",
    "supportletter",
    "grantdeliverable",
    "outcome",
    "story",
    "surveyresult",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outreach", model__in=MOVED).update(app_label="programs")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="programs", model__in=MOVED).update(app_label="outreach")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("outreach", "0003_progress_updates"),
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
                    name="Grant",
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
                        ("funder", models.CharField(max_length=200)),
                        (
                            "amount_requested",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=12, null=True
                            ),
                        ),
                        (
                            "amount_awarded",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=12, null=True
                            ),
                        ),
                        ("submission_deadline", models.DateField(blank=True, null=True)),
                        ("decision_expected", models.DateField(blank=True, null=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("researching", "Researching"),
                                    ("drafting", "Drafting"),
                                    ("submitted", "Submitted"),
                                    ("awarded", "Awarded"),
                                    ("declined", "Declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="researching",
                                max_length=20,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_grant",
                        "ordering": ["submission_deadline"],
                    },
                ),
                migrations.CreateModel(
                    name="GrantDeliverable",
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
                        ("title", models.CharField(max_length=200)),
                        ("due_on", models.DateField(verbose_name="due date")),
                        (
                            "followup",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="deliverable",
                                to="outreach.followup",
                            ),
                        ),
                        (
                            "grant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliverables",
                                to="programs.grant",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_grantdeliverable",
                        "ordering": ["due_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Program",
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
                        ("title", models.CharField(max_length=200)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("event_series", "Event series"),
                                    ("workshop", "Workshop or seminar"),
                                    ("fair", "Health or information fair"),
                                    ("grant", "Joint grant application"),
                                    ("shared_resource", "Shared resource"),
                                    ("campaign", "Outreach campaign"),
                                    ("other", "Other"),
                                ],
                                default="workshop",
                                max_length=20,
                            ),
                        ),
                        ("description", models.TextField(blank=True, max_length=10000)),
                        ("goals", models.TextField(blank=True, max_length=10000)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("proposed", "Proposed"),
                                    ("planning", "Planning"),
                                    ("active", "Active"),
                                    ("completed", "Completed"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="planning",
                                max_length=20,
                            ),
                        ),
                        ("start_date", models.DateField(blank=True, null=True)),
                        ("end_date", models.DateField(blank=True, null=True)),
                        (
                            "audience",
                            models.TextField(
                                blank=True,
                                help_text="Populations served.",
                                max_length=10000,
                                verbose_name="audience",
                            ),
                        ),
                        (
                            "budget",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=12, null=True
                            ),
                        ),
                        (
                            "library_resources",
                            models.TextField(
                                blank=True,
                                help_text="Books, databases, rooms, staff time…",
                                max_length=10000,
                                verbose_name="library resources contributed",
                            ),
                        ),
                        (
                            "focus_areas",
                            models.ManyToManyField(
                                blank=True, related_name="programs", to="partners.focusarea"
                            ),
                        ),
                        (
                            "lead",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="led_programs",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="lead staff member",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_program",
                        "ordering": ["-start_date", "title"],
                    },
                ),
                migrations.AddField(
                    model_name="grant",
                    name="program",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="grant",
                        to="programs.program",
                    ),
                ),
                migrations.CreateModel(
                    name="ProgramPartner",
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
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead", "Lead"),
                                    ("co_host", "Co-host"),
                                    ("funder", "Funder"),
                                    ("venue", "Venue"),
                                    ("promoter", "Promoter"),
                                    ("presenter", "Presenter"),
                                    ("referral", "Referral partner"),
                                ],
                                default="co_host",
                                max_length=20,
                            ),
                        ),
                        (
                            "contribution",
                            models.TextField(
                                blank=True, max_length=10000, verbose_name="what they contribute"
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="program_roles",
                                to="partners.organization",
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="program_partners",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_programpartner",
                        "ordering": ["role", "organization__name"],
                    },
                ),
                migrations.AddField(
                    model_name="program",
                    name="partners",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="programs",
                        through="programs.ProgramPartner",
                        to="partners.organization",
                    ),
                ),
                migrations.CreateModel(
                    name="ProgramSession",
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
                        ("starts_at", models.DateTimeField(verbose_name="date and time")),
                        ("location", models.CharField(blank=True, max_length=300)),
                        (
                            "attendance",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="Head count; leave empty until known.",
                                null=True,
                                verbose_name="attendance",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, max_length=10000)),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                help_text="The meeting where this session was planned.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="program_sessions",
                                to="outreach.meeting",
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sessions",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_programsession",
                        "ordering": ["starts_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Story",
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
                        ("text", models.TextField(max_length=10000)),
                        (
                            "who",
                            models.CharField(
                                default="Anonymous participant",
                                help_text="A name, or “anonymous”.",
                                max_length=200,
                            ),
                        ),
                        ("told_on", models.DateField(verbose_name="date")),
                        (
                            "consent_to_share",
                            models.BooleanField(
                                default=False,
                                help_text="Required before the story can appear in any email, summary or export.",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="stories",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "stories",
                        "db_table": "outreach_story",
                        "ordering": ["-told_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SupportLetter",
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
                        ("received_on", models.DateField()),
                        (
                            "grant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="letters",
                                to="programs.grant",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="partners.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_supportletter",
                        "ordering": ["received_on"],
                    },
                ),
                migrations.AddField(
                    model_name="grant",
                    name="support_letters",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="support_letters_given",
                        through="programs.SupportLetter",
                        to="partners.organization",
                        verbose_name="letters of support",
                    ),
                ),
                migrations.CreateModel(
                    name="SurveyResult",
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
                        ("file", models.FileField(upload_to="surveys/%Y/%m/")),
                        ("original_name", models.CharField(max_length=255)),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("responses", models.PositiveIntegerField()),
                        ("summary", models.JSONField(default=list)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="surveys",
                                to="programs.program",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_surveyresult",
                        "ordering": ["-uploaded_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Outcome",
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
                            "metric",
                            models.CharField(max_length=200, verbose_name="what was measured"),
                        ),
                        ("value", models.DecimalField(decimal_places=2, max_digits=14)),
                        (
                            "unit",
                            models.CharField(
                                blank=True, help_text="%, people, books…", max_length=40
                            ),
                        ),
                        ("measured_on", models.DateField()),
                        (
                            "method",
                            models.CharField(
                                choices=[
                                    ("survey", "Survey"),
                                    ("head_count", "Head count"),
                                    ("pre_post", "Pre/post test"),
                                    ("partner_report", "Partner report"),
                                ],
                                default="survey",
                                max_length=20,
                            ),
                        ),
                        ("note", models.TextField(blank=True, max_length=10000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="outcomes",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "outreach_outcome",
                        "ordering": ["-measured_on", "pk"],
                        "indexes": [
                            models.Index(
                                fields=["program", "measured_on"], name="outcome_program_day"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="programpartner",
                    constraint=models.UniqueConstraint(
                        fields=("program", "organization"),
                        name="program_partner_once",
                        violation_error_message="This organization is already a partner in the program.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="program",
                    index=models.Index(
                        fields=["status", "-start_date"], name="program_status_start"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="program",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("start_date__isnull", True),
                            ("end_date__isnull", True),
                            ("end_date__gte", models.F("start_date")),
                            _connector="OR",
                        ),
                        name="program_ends_after_start",
                        violation_error_message="The program cannot end before it starts.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="program",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("budget__isnull", True), ("budget__gte", 0), _connector="OR"
                        ),
                        name="program_budget_not_negative",
                        violation_error_message="The budget cannot be negative.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="programsession",
                    index=models.Index(
                        fields=["program", "starts_at"], name="session_program_start"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="supportletter",
                    constraint=models.UniqueConstraint(
                        fields=("grant", "organization"), name="support_letter_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="grant",
                    index=models.Index(fields=["submission_deadline"], name="grant_deadline"),
                ),
                migrations.AddConstraint(
                    model_name="grant",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("amount_requested__isnull", True),
                                ("amount_requested__gte", 0),
                                _connector="OR",
                            ),
                            models.Q(
                                ("amount_awarded__isnull", True),
                                ("amount_awarded__gte", 0),
                                _connector="OR",
                            ),
                        ),
                        name="grant_amounts_not_negative",
                        violation_error_message="Amounts cannot be negative.",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
