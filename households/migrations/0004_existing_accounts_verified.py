"""Accounts made before email verification existed keep being able to apply, book and request.

Sign-up never checked the address until allauth arrived (issue 14); requiring every existing resident
to confirm before their next application would lock them out of services they already use. Their
address becomes their verified, primary one. Accounts erased before (deleted-…@deleted.invalid) and
inactive ones get nothing; new sign-ups confirm by email as usual.
"""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("portal", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(email__endswith="@deleted.invalid")
        .values_list("pk", "email")
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email.lower(), verified=True, primary=True)
            for pk, email in users.iterator()
            if pk not in known
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_phone_verification"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("portal", "0009_audit_append_only"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
