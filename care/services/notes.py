"""Confidential session notes: only the note's counsellor and the district's centre lead read them
(SessionNote.objects.readable_by), and every read is written to the access log."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import User

from ..models import Appointment, SessionNote, counsellor_of
from .errors import CareError

READ_ACTION = "care.note.viewed"


def note_add(
    *, actor: User, appointment_id: int, text: str, request: HttpRequest | None = None
) -> SessionNote:
    """Only the appointment's own counsellor writes its notes."""
    text = (text or "").strip()
    if not text:
        raise CareError("text", _("Write the note."), "text")
    with transaction.atomic():
        appointment = Appointment.objects.select_related("counsellor", "household").get(pk=appointment_id)
        if appointment.counsellor.user_id != actor.pk:
            raise CareError("not_found", _("No such appointment."))
        note = SessionNote(appointment=appointment, counsellor=appointment.counsellor, text=text)
        note.full_clean(exclude=["appointment", "counsellor"])
        note.save()
        audit_log(
            actor=actor,
            action="care.note.added",
            target=note,
            subject_user_id=appointment.household.user_id,
            district=appointment.district,
            request=request,
            data={"reference": appointment.reference},
        )
    return note


def notes_read(*, user: User, appointment_id: int, request: HttpRequest | None = None) -> list[SessionNote]:
    """The notes of an appointment `user` may read; the read is logged once (with how many)."""
    notes = list(
        SessionNote.objects.readable_by(user)
        .filter(appointment_id=appointment_id)
        .select_related("appointment__household", "counsellor__user")
    )
    if notes:
        appointment = notes[0].appointment
        audit_log(
            actor=user,
            action=READ_ACTION,
            target=appointment,
            subject_user_id=appointment.household.user_id,
            district=appointment.district,
            request=request,
            data={"reference": appointment.reference, "notes": len(notes)},
        )
    return notes


def is_note_reader(user: User) -> bool:
    return counsellor_of(user) is not None
