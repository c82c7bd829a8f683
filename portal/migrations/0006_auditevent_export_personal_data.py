# The permission to export unmasked personal data becomes the core's: it was declared on the export job,
# which moves to the reports app (0007 and reports/0001). The row itself is re-pointed to this model's
# content type by reports/0002, so the users and groups that held it keep it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_performancereport"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [("export_personal_data", "Can export unmasked personal data")],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
    ]
