"""PostgreSQL: two active bookings of one room never overlap, enforced by an exclusion constraint.

GiST compares the room id with "=" only through the btree_gist extension. Ranges are half-open '[)' so
a booking ending at 11:00 and one starting at 11:00 do not conflict. Cancelled and rejected bookings
are left out (the WHERE clause), so their slots can be booked again.

On other databases (SQLite, the embedded default) both operations do nothing: the booking service
serializes check-and-insert there instead (see spaces/services.py).
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "booking_room_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        ALTER TABLE spaces_booking ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status IN ('pending', 'confirmed', 'attended', 'no_show'))
        """
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
