"""Reference data: cities, districts (행정표준코드) and neighbourhoods (행정동). Re-running is harmless."""

from django.db import migrations

from portal.reference_data import load_reference_data


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
