"""Counselling at the 1인가구 support centre: what is offered, who counsels when, and the appointments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.i18n import localized
from portal.identifiers import refuse_identifiers
from portal.models import District, User
from portal.scoping import ScopedManager


class CounsellingService(models.Model):
    """A kind of counselling a district offers (심리상담, 전월세 계약 상담, 재무상담 …)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=80, validators=[refuse_identifiers])
    name_en = models.CharField(_("English name"), max_length=80, blank=True, validators=[refuse_identifiers])
    description = models.TextField(_("description"), blank=True, validators=[refuse_identifiers])
    duration_minutes = models.PositiveSmallIntegerField(_("session length (minutes)"), default=50)
    # Which ways of meeting the service offers.
    offers_room = models.BooleanField(_("in a counselling room"), default=True)
    offers_phone = models.BooleanField(_("by phone"), default=True)
    offers_video = models.BooleanField(_("by video"), default=False)
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("cancel or move until (hours before)"), default=24
    )
    is_active = models.BooleanField(_("offered"), default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["district_id", "name"]
        verbose_name = _("counselling service")
        verbose_name_plural = _("counselling services")

    def __str__(self) -> str:
        return localized(self, "name")


class Counsellor(models.Model):
    """A staff member with the counsellor role, as the centre knows them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="counsellor",
        verbose_name=_("account"),
        limit_choices_to={"role": User.Role.COUNSELLOR},
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    services = models.ManyToManyField(
        CounsellingService, related_name="counsellors", verbose_name=_("services")
    )
    # The centre lead reads every counsellor's notes of the district and is alerted of crises.
    is_centre_lead = models.BooleanField(_("centre lead"), default=False)
    # Where in-person sessions happen: a counselling room of spaces (booked through spaces' services).
    room = models.ForeignKey(
        "spaces.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    video_link = models.URLField(_("video meeting link"), blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["district_id", "id"]
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self) -> str:
        return str(self.user)


def counsellor_of(user) -> Counsellor | None:
    """The user's counsellor profile, or None. Only accounts with the counsellor role have one (the
    profile's user is limited to them), so anyone else is answered without a query — the admin asks on
    every page it draws — and the answer is remembered on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or user.role != User.Role.COUNSELLOR:
        return None
    if not hasattr(user, "_care_counsellor"):
        user._care_counsellor = Counsellor.objects.filter(user_id=user.pk).first()
    return user._care_counsellor


class WorkingHours(models.Model):
    """A counsellor's weekly hours (local time): one row per weekday interval."""

    counsellor = models.ForeignKey(Counsellor, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Mon")),
            (1, _("Tue")),
            (2, _("Wed")),
            (3, _("Thu")),
            (4, _("Fri")),
            (5, _("Sat")),
            (6, _("Sun")),
        ],
    )
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["counsellor_id", "weekday", "starts"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="care_hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Leave(models.Model):
    """Days a counsellor is away (inclusive)."""

    counsellor = models.ForeignKey(Counsellor, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=100, blank=True, validators=[refuse_identifiers])

    class Meta:
        ordering = ["counsellor_id", "starts_on"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="care_leave_order")
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class AppointmentMode(models.TextChoices):
    ROOM = "room", _("In a counselling room")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Whenever convenient")
    SOON = "soon", _("Soon")
    URGENT = "urgent", _("Urgent")


class PreferredContact(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")


class Appointment(models.Model):
    """A resident's counselling appointment. The room's time is a spaces Booking (staff booking, no
    household on it, purpose without the resident's name), so rooms never double-book."""

    reference = models.CharField(_("reference"), max_length=20, blank=True, db_index=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    service = models.ForeignKey(CounsellingService, on_delete=models.PROTECT, related_name="appointments")
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="appointments")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="care_appointments"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("where"), max_length=10, choices=AppointmentMode.choices)
    booking = models.OneToOneField(
        "spaces.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=AppointmentStatus.choices)
    topic = models.CharField(_("topic"), max_length=200, validators=[refuse_identifiers])
    intake = models.TextField(
        _("what you would like to talk about"), blank=True, validators=[refuse_identifiers]
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=PreferredContact.choices,
        default=PreferredContact.PHONE,
    )
    # Set when the intake matched a crisis phrase (settings.CARE_CRISIS_PHRASES): the lead was alerted.
    crisis = models.BooleanField(_("crisis signalled"), default=False)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("counselling appointment")
        verbose_name_plural = _("counselling appointments")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="care_appt_order")
        ]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="care_appt_counsellor"),
            models.Index(fields=["district", "status", "starts_at"], name="care_appt_district"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def is_urgent(self) -> bool:
        return self.crisis or self.urgency == Urgency.URGENT


class NoteQuerySet(models.QuerySet):
    def readable_by(self, user) -> models.QuerySet:
        """Confidential: only the note's counsellor and the centre lead of the note's district; nobody
        else, however many permissions (caseworkers, managers, a city admin or superuser)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        counsellor = counsellor_of(user)
        if counsellor is None:
            return self.none()
        if counsellor.is_centre_lead:
            return self.filter(appointment__district_id=counsellor.district_id)
        return self.filter(counsellor_id=counsellor.pk)


class SessionNote(models.Model):
    """A counsellor's confidential note of a session."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="notes")
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"), validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")

    def __str__(self) -> str:
        return f"{self.appointment} · {self.created_at:%Y-%m-%d}"


class CounsellingBan(models.Model):
    """A ban on booking counselling after repeated no-shows (settings.CARE_NO_SHOW_*), in one district:
    the counselling counterpart of spaces' Suspension, counted by the same rule (spaces' ban_due).
    Lifting it early (lifted_at) is the staff override; a ban is never deleted (the record stays)."""

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="care_bans")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("counselling booking ban")
        verbose_name_plural = _("counselling booking bans")
        indexes = [models.Index(fields=["household", "ends_at"], name="care_ban_household_end")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"
