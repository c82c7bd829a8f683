"""Program sessions: the dated occurrences of a program (a class, a social dining evening) and how many
took part. A session held in a community room links to that room's booking, so the program page shows
the booking's place and time (and a cancelled booking shows the session as cancelled)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import localized


class ProgramSession(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("program")
    )
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("Empty: the program's title.")
    )
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    booking = models.OneToOneField(
        "spaces.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_session",
        verbose_name=_("room booking"),
        help_text=_("The room booked for it: its place and time are shown on the program page."),
    )
    # Used when the session is not held in a bookable room (e.g. an outing).
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("Recorded after the session.")
    )

    class Meta:
        ordering = ["program", "starts_at", "pk"]
        verbose_name = _("program session")
        verbose_name_plural = _("program sessions")
        indexes = [models.Index(fields=["program", "starts_at"], name="session_program_start")]

    def __str__(self) -> str:
        when = self.when_starts
        return f"{self.display_title} {when:%Y-%m-%d %H:%M}" if when else self.display_title

    def save(self, *args, **kwargs) -> None:
        # The booking is the source of truth for time while linked; copying it keeps ordering and the
        # reports' per-month counts on this table alone.
        if self.booking_id is not None:
            self.starts_at = self.booking.starts_at
            self.ends_at = self.booking.ends_at
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.booking_id is None and (self.starts_at is None or self.ends_at is None):
            raise ValidationError(_("Link a room booking, or give the session's start and end."))
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    @property
    def display_title(self) -> str:
        return localized(self, "title") or str(self.program)

    @property
    def when_starts(self):
        return self.booking.starts_at if self.booking_id else self.starts_at

    @property
    def when_ends(self):
        return self.booking.ends_at if self.booking_id else self.ends_at

    @property
    def display_place(self) -> str:
        if self.booking_id:
            room = self.booking.room
            return f"{room.space.display_name} · {room.display_name} ({room.space.address})"
        return self.place

    @property
    def is_cancelled(self) -> bool:
        return self.booking_id is not None and not self.booking.is_active
