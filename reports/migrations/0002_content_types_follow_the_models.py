# The content types of ExportJob and PerformanceReport follow the models to the reports app, keeping their
# ids: their permissions (view/add/change/delete), the groups and users granted them and the admin's log
# entries stay attached. The permission to export unmasked personal data stays portal.export_personal_data
# (now declared on portal.AuditEvent): its row is re-pointed to that model's content type, so whoever held
# it keeps it.
#
# On a fresh database there is nothing to rename: the content types and permissions are created after
# migrate (post_migrate), under the new app.

from django.conf import settings
from django.db import migrations

MODELS = ("exportjob", "performancereport")
PERSONAL = "export_personal_data"


def move_content_types(apps, db_alias: str, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(db_alias)
    for model in MODELS:
        old = types.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        # A content type already made under the new label (post_migrate ran while the app was migrated in
        # steps) holds only fresh permissions: the old row carries the grants, so it wins.
        types.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def move_permission(apps, db_alias: str, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Re-point the export_personal_data permission from the `source` model's content type to `target`'s."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    types = ContentType.objects.using(db_alias)
    permissions = Permission.objects.using(db_alias)

    old = permissions.filter(
        content_type__app_label=source[0], content_type__model=source[1], codename=PERSONAL
    ).first()
    if old is None:
        return
    target_type, _created = types.get_or_create(app_label=target[0], model=target[1])
    existing = permissions.filter(content_type=target_type, codename=PERSONAL).first()
    if existing is None:
        old.content_type = target_type
        old.save(update_fields=["content_type"])
        return
    # Both rows exist (post_migrate ran in between): the grants move to the target's row.
    for group in Group.objects.using(db_alias).filter(permissions=old):
        group.permissions.add(existing)
    for user in User.objects.using(db_alias).filter(user_permissions=old):
        user.user_permissions.add(existing)
    old.delete()


def forwards(apps, schema_editor) -> None:
    db_alias = schema_editor.connection.alias
    move_content_types(apps, db_alias, "portal", "reports")
    move_permission(apps, db_alias, ("reports", "exportjob"), ("portal", "auditevent"))


def backwards(apps, schema_editor) -> None:
    db_alias = schema_editor.connection.alias
    move_content_types(apps, db_alias, "reports", "portal")
    move_permission(apps, db_alias, ("portal", "auditevent"), ("portal", "exportjob"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("portal", "0006_auditevent_export_personal_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
