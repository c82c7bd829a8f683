"""Confidential session notes: only the note's counsellor and the centre lead read them; every read is
access-logged; nobody else (caseworker, manager, city admin/superuser) sees a row, in the admin either."""

from __future__ import annotations

import pytest

from care.models import SessionNote
from care.services.appointments import appointment_book
from care.services.errors import CareError
from care.services.notes import note_add, notes_read
from portal.models import AuditEvent
from tests.care.conftest import make_counsellor, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(service, counsellor, gwanak_resident):
    from datetime import time

    from portal.timeutils import local_datetime

    appointment = appointment_book(
        user=gwanak_resident,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=local_datetime(next_weekday(), time(10)),
        mode="phone",
        topic="상담",
    )
    return note_add(actor=counsellor.user, appointment_id=appointment.pk, text="내담자는 수면 문제를 호소함")


def test_the_counsellor_and_the_lead_read_and_each_read_is_logged(note, counsellor, lead):
    for reader in (counsellor.user, lead.user):
        assert [n.pk for n in notes_read(user=reader, appointment_id=note.appointment_id)] == [note.pk]
    reads = AuditEvent.objects.filter(
        action="care.note.viewed", subject_user_id=note.appointment.household.user_id
    )
    assert {e.actor_id for e in reads} == {counsellor.user.pk, lead.user.pk}


def test_nobody_else_reads_a_note(note, service, caseworker_a, manager_a, city_admin):
    colleague = make_counsellor("colleague@example.kr", service=service)
    for outsider in (colleague.user, caseworker_a, manager_a, city_admin):
        assert not SessionNote.objects.readable_by(outsider).exists()
        assert notes_read(user=outsider, appointment_id=note.appointment_id) == []
    assert not AuditEvent.objects.filter(action="care.note.viewed").exists()


def test_only_the_appointments_counsellor_writes_its_notes(note, lead):
    with pytest.raises(CareError):
        note_add(actor=lead.user, appointment_id=note.appointment_id, text="다른 상담사")


def test_admin_hides_notes_from_a_superuser_and_shows_them_to_the_counsellor(
    client, note, counsellor, city_admin
):
    client.force_login(city_admin)
    response = client.get("/admin/care/sessionnote/")
    assert response.status_code in (200, 403)
    assert "수면 문제" not in response.content.decode()
    assert client.get(f"/admin/care/sessionnote/{note.pk}/change/").status_code in (302, 403, 404)
    client.force_login(counsellor.user)
    assert client.get("/admin/care/sessionnote/").status_code == 200
    page = client.get(f"/admin/care/sessionnote/{note.pk}/change/")
    assert page.status_code == 200 and "수면 문제" in page.content.decode()
    assert AuditEvent.objects.filter(action="care.note.viewed", actor=counsellor.user).exists()
