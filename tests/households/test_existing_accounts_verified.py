"""The data migration that keeps residents who signed up before email verification able to apply."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test

BEFORE = [
    ("households", "0003_phone_verification"),
    ("account", "0009_emailaddress_unique_primary_email"),
    ("portal", "0009_audit_append_only"),
]
AFTER = [("households", "0004_existing_accounts_verified")]


@pytest.fixture
def back_to_the_latest_schema():
    """Leave the database as every other test expects it: every migration applied (going back to
    households 0003 also unapplied what came after it, in households and the apps above)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_active_accounts_get_a_verified_primary_address(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("portal", "User")
    resident = User.objects.create(email="old.resident@example.kr", password="!", language="ko")
    User.objects.create(email="gone@example.kr", password="!", is_active=False, language="ko")
    User.objects.create(email="deleted-abc@deleted.invalid", password="!", is_active=True, language="ko")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from allauth.account.models import EmailAddress

    rows = list(EmailAddress.objects.values_list("user_id", "email", "verified", "primary"))
    assert rows == [(resident.pk, "old.resident@example.kr", True, True)]
