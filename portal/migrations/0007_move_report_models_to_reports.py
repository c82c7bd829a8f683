# ExportJob and PerformanceReport move to the reports app (reports/0001_initial takes them over). Only
# Django's state changes: the tables (portal_exportjob, portal_performancereport) and their rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_auditevent_export_personal_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ExportJob"),
                migrations.DeleteModel(name="PerformanceReport"),
            ],
            database_operations=[],
        ),
    ]
