"""The audit table is append-only on PostgreSQL (PIPA: access records kept intact ≥ 2 years).

A row trigger refuses UPDATE and DELETE and a statement trigger refuses TRUNCATE, whoever runs them
(the ORM, a raw SQL session, a DBA's psql), unless the transaction set `hana.audit_maintenance` to
'on' — which only portal.audit.audit_maintenance() does, and only the retention job calls it.

One UPDATE is allowed: one that changes nothing but `actor_id`, to NULL. AuditEvent.actor is
on_delete=SET_NULL, and Django carries that out itself as `UPDATE ... SET actor_id = NULL` just before
it deletes a user; the trigger cannot tell that statement from any other, so refusing it would make a
staff account impossible to delete (the admin, the erasure of a superuser's test account). We keep the
foreign key rather than turning it into a plain id column because admin lists, scoping and "who read
my data" follow it, and because user rows are normally deactivated, not deleted (households'
account_delete keeps the row). What the exception permits cannot falsify a record: it can only forget
who acted, never change what was done, to whom (subject_user_id), when or from where.

SQLite has no such triggers: there the model's admin and services are the only guard.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('hana.audit_maintenance', true), '') = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    -- Django's on_delete=SET_NULL for a deleted user: only actor_id changes, and only to NULL.
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'portal_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are pruned only by the retention job.';
END
$$;

DROP TRIGGER IF EXISTS portal_auditevent_append_only_rows ON portal_auditevent;
CREATE TRIGGER portal_auditevent_append_only_rows
    BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();

DROP TRIGGER IF EXISTS portal_auditevent_append_only_truncate ON portal_auditevent;
CREATE TRIGGER portal_auditevent_append_only_truncate
    BEFORE TRUNCATE ON portal_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION portal_auditevent_append_only();
"""

DROP = r"""
DROP TRIGGER IF EXISTS portal_auditevent_append_only_rows ON portal_auditevent;
DROP TRIGGER IF EXISTS portal_auditevent_append_only_truncate ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""


def _on_postgres(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: % and ; stay as written

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_task_outbox_notification_reaper"),
    ]

    operations = [
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP), elidable=False),
    ]
