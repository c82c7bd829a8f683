"""ExportJob and PerformanceReport moved from the portal app to the reports app without losing a row.

A database holding the demo data at the migrations of main before the move (commit 0b7e004) is migrated
to the newest ones: every table keeps its row count, the two models' content types keep their ids under
the new app label (so their permissions, group grants and admin log entries follow), and whoever held
portal.export_personal_data still holds it.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from demo.loader import load_demo
from portal.models import District, Notification, User
from reports.models import ExportJob, PerformanceReport

# serialized_rollback, as every transactional test here: the test starts from the database as migrate left
# it (content types, role groups, reference data) and its flush leaves the next such test a clean slate.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Each project app's newest migration at commit 0b7e004, before the reports app existed. A project app
# missing here did not exist then (it is migrated to zero); other apps (Django's, third parties') stay.
OLD_LEAVES = {
    "portal": "0005_performancereport",
    "households": "0002_initial",
    "programs": "0006_program_budget",
    "safety": "0001_initial",
    "lockers": "0001_initial",
    "spaces": "0002_booking_no_overlap",
}
MOVED = ("exportjob", "performancereport")


def _is_project_app(label: str) -> bool:
    from django.apps import apps

    # A top-level package of the repository (a virtualenv inside the checkout is deeper down).
    return Path(apps.get_app_config(label).path).parent == Path(settings.BASE_DIR)


def _migrate(to_old: bool) -> None:
    executor = MigrationExecutor(connection)
    targets = []
    for app, leaf in sorted(executor.loader.graph.leaf_nodes()):
        if to_old and app in OLD_LEAVES:
            targets.append((app, OLD_LEAVES[app]))
        elif to_old and _is_project_app(app):
            targets.append((app, None))
        else:
            targets.append((app, leaf))
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def _tables_made_since() -> list[type]:
    """Today's models whose table the old schema lacks (the task outbox, outreach's ledger …): made for
    the load only (today's demo loader writes some of them) and dropped again before migrating."""
    from django.apps import apps

    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in tables
    ]


def _columns_added_since() -> list[tuple[type, object]]:
    """(model, field) for each column today's models have that the old tables lack (added by migrations
    after the move, e.g. portal 0008's outbox columns on portal_notification)."""
    from django.apps import apps

    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        missing = []
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in tables or not model._meta.managed:
                continue
            present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            for field in model._meta.local_concrete_fields:
                if field.column in present:
                    continue
                if field.is_relation and field.related_model._meta.db_table not in tables:
                    # A link to a table made since (e.g. an application document's information
                    # request): the column without its foreign key, which has nothing to point at yet.
                    field = copy.copy(field)
                    field.db_constraint = False
                missing.append((model, field))
    return missing


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":  # the one table the migration is meant to change
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_an_existing_database_moves_the_models_to_reports_without_losing_rows():
    try:
        _migrate(to_old=True)
        assert ("reports", "0001_initial") not in MigrationExecutor(connection).loader.applied_migrations
        old_types = {model: ContentType.objects.get(app_label="portal", model=model).pk for model in MOVED}

        # The demo data, plus a row in each moved table (the demo makes none): the tables are the same
        # before and after, so today's models write them; a column added to a table since is there for
        # the load only and dropped again, so the migrations meet the old schema.
        made = _tables_made_since()
        added = _columns_added_since()
        with connection.schema_editor() as editor:
            for model in made:
                editor.create_model(model)
            for model, field in added:
                editor.add_field(model, field)
        # A message may have no user since portal 0011 (inquiries' guests): the column accepts one for the
        # load, and the guests' messages are dropped again before the old migrations meet the table.
        recipient = Notification._meta.get_field("user")
        old_recipient = copy.copy(recipient)
        old_recipient.null = False
        with connection.schema_editor() as editor:
            editor.alter_field(Notification, old_recipient, recipient)
        load_demo()
        Notification.objects.filter(user__isnull=True).delete()
        with connection.schema_editor() as editor:
            editor.alter_field(Notification, recipient, old_recipient)
        gwanak = District.objects.get(code="11620")
        manager = User.objects.filter(groups__name=User.Role.DISTRICT_MANAGER).first()
        assert manager is not None and manager.has_perm("portal.view_exportjob")
        job = ExportJob.objects.create(owner=manager, district=gwanak, dataset="applications", format="csv")
        report = PerformanceReport.objects.create(
            district=gwanak, month=date(2026, 3, 1), generated_at=timezone.now()
        )

        # export_personal_data as main had it: declared by the export job, granted to a group and a user.
        unmask = Permission.objects.get(codename="export_personal_data")
        assert (unmask.content_type.app_label, unmask.content_type.model) == ("portal", "exportjob")
        group = Group.objects.create(name="Personal data exporters")
        group.permissions.add(unmask)
        by_group = User.objects.create_user("by-group@example.org")
        by_group.groups.add(group)
        by_grant = User.objects.create_user("by-grant@example.org")
        by_grant.user_permissions.add(unmask)
        # Accounts of the allauth era have their address on record (households' migration 0004 would
        # otherwise add one for each when it runs again below, and the row counts would differ).
        for user in (by_group, by_grant):
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        with connection.schema_editor() as editor:
            for model, field in added:
                editor.remove_field(model, field)
            for model in reversed(made):
                editor.delete_model(model)
        before = _row_counts()
        assert before["portal_exportjob"] == 1 and before["portal_performancereport"] == 1
        assert before["programs_program"] > 0 and before["spaces_booking"] > 0

        _migrate(to_old=False)
        # As `manage.py migrate` does after the migrations: content types, permissions and role groups
        # are synced; nothing new may be created for the moved models.
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        ContentType.objects.clear_cache()

        after = _row_counts()
        assert {table: n for table, n in after.items() if table in before} == before
        assert all(after[table] == 0 for table in set(after) - set(before))  # tables added since: empty
        for model in MOVED:
            moved = ContentType.objects.get(pk=old_types[model])
            assert (moved.app_label, moved.model) == ("reports", model)
        assert not ContentType.objects.filter(app_label="portal", model__in=MOVED).exists()
        assert ExportJob.objects.get() == job and PerformanceReport.objects.get() == report

        unmask = Permission.objects.get(codename="export_personal_data")
        assert (unmask.content_type.app_label, unmask.content_type.model) == ("portal", "auditevent")
        for user in (by_group, by_grant):
            assert User.objects.get(pk=user.pk).has_perm("portal.export_personal_data")
        assert User.objects.get(pk=manager.pk).has_perm("reports.view_exportjob")
    finally:
        _migrate(to_old=False)
