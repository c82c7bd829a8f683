# The models move here from the portal app (portal/0007 removes them from its state). Only Django's state
# changes: each model keeps its table (db_table) with its rows, indexes and constraints, as created by
# portal/0004_exportjob and portal/0005_performancereport.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portal", "0007_move_report_models_to_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportJob",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("dataset", models.CharField(max_length=40, verbose_name="data set")),
                        (
                            "format",
                            models.CharField(
                                choices=[
                                    ("csv", "CSV (Excel-compatible, UTF-8)"),
                                    ("xlsx", "Excel workbook (XLSX)"),
                                ],
                                max_length=4,
                                verbose_name="format",
                            ),
                        ),
                        ("filters", models.JSONField(blank=True, default=dict, verbose_name="filters")),
                        (
                            "include_personal",
                            models.BooleanField(default=False, verbose_name="unmasked personal data"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "In progress"),
                                    ("done", "Ready to download"),
                                    ("failed", "Failed"),
                                    ("expired", "Expired (file deleted)"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "rows_total",
                            models.PositiveIntegerField(blank=True, null=True, verbose_name="rows to export"),
                        ),
                        ("rows_done", models.PositiveIntegerField(default=0, verbose_name="rows exported")),
                        (
                            "file",
                            models.FileField(
                                blank=True, max_length=200, upload_to="exports/", verbose_name="file"
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        (
                            "ip_address",
                            models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                        ("expires_at", models.DateTimeField(blank=True, null=True, verbose_name="expires")),
                        (
                            "district",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portal.district",
                                verbose_name="district",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="export_jobs",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "export job",
                        "verbose_name_plural": "export jobs",
                        "db_table": "portal_exportjob",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(fields=["owner", "created_at"], name="exportjob_owner_idx"),
                            models.Index(fields=["status", "expires_at"], name="exportjob_expiry_idx"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PerformanceReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "month",
                            models.DateField(
                                help_text="The first day of the month reported on.", verbose_name="month"
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                blank=True, max_length=200, upload_to="reports/", verbose_name="file"
                            ),
                        ),
                        ("snapshot", models.JSONField(blank=True, default=dict, verbose_name="figures")),
                        (
                            "program_rows",
                            models.PositiveIntegerField(default=0, verbose_name="programs reported"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("generated_at", models.DateTimeField(verbose_name="generated")),
                        (
                            "district",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="performance_reports",
                                to="portal.district",
                                verbose_name="district",
                            ),
                        ),
                        (
                            "generated_by",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty when made by the monthly schedule.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="generated by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "performance report",
                        "verbose_name_plural": "performance reports",
                        "db_table": "portal_performancereport",
                        "ordering": ["-month", "district__code"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("district", "month"), name="performancereport_once_per_month"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("month__day", 1)),
                                name="performancereport_month_first_day",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
