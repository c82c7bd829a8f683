"""Reference data: the 기준중위소득 table (2024–2026, household sizes 1–6). Re-running is harmless."""

from django.db import migrations

from portal.reference_data import load_median_income


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_median_income, migrations.RunPython.noop),
    ]
