"""Community spaces (e.g. Jung-gu's 1인가구 소통공간 "놀다가"), their rooms, opening hours and closures,
the district's booking policy, bookings, staff booking series and no-show suspensions.

Times: a booking's start and end are stored in UTC (USE_TZ) and shown in Asia/Seoul. Opening hours and
closures are *local* wall-clock times and dates, because that is how a space states them ("open
10:00–21:00, closed on public holidays"); the booking rules convert a booking to Seoul time before
comparing (spaces.rules).

Two active bookings of one room never overlap. On PostgreSQL an exclusion constraint over
(room, tstzrange(starts_at, ends_at, '[)')) says so in the database (migration 0002; half-open ranges,
so 10:00–11:00 and 11:00–12:00 may both exist); on SQLite the booking service checks and inserts inside
one IMMEDIATE transaction, which SQLite runs one at a time.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.i18n import localized
from portal.identifiers import refuse_identifiers
from portal.models import District, Neighbourhood
from portal.scoping import ScopedManager
from portal.timeutils import to_local

DEFAULT_RULES = _(
    "The space is for residents' own gatherings and programs. Political, religious and for-profit use "
    "(sales, paid classes, advertising) is not allowed. Leave the room as you found it."
)


class Amenity(models.TextChoices):
    KITCHEN = "kitchen", _("Shared kitchen")
    PROJECTOR = "projector", _("Projector and screen")
    WIFI = "wifi", _("Wi-Fi")
    TABLES = "tables", _("Tables and chairs")
    SOUND = "sound", _("Sound system")
    LOCKERS = "lockers", _("Parcel lockers nearby")
    LIBRARY = "library", _("Book corner")
    GARDEN = "garden", _("Rooftop garden")


class AccessFeature(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free entrance")
    LIFT = "lift", _("Lift")
    ACCESSIBLE_TOILET = "accessible_toilet", _("Accessible toilet")
    BRAILLE = "braille", _("Braille signs")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    PARKING = "parking", _("Accessible parking")


class RoomKind(models.TextChoices):
    MEETING = "meeting", _("Meeting room")
    KITCHEN = "kitchen", _("Shared kitchen")
    STUDIO = "studio", _("Activity studio")
    COUNSELLING = "counselling", _("Counselling room")
    LOUNGE = "lounge", _("Lounge")


class Space(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("district")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("neighbourhood (haengjeong-dong)"),
    )
    slug = models.SlugField(_("address in the URL"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    address = models.CharField(_("address"), max_length=200)
    directions = models.CharField(_("how to get there"), max_length=300, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    access_features = models.JSONField(_("accessibility features"), default=list, blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    accessibility_notes_en = models.TextField(_("accessibility notes (English)"), blank=True)
    rules = models.TextField(_("house rules"), blank=True, help_text=_("Leave empty for the standard rules."))
    rules_en = models.TextField(_("house rules (English)"), blank=True)
    is_active = models.BooleanField(_("open for bookings"), default=True)
    history = HistoricalRecords()

    objects = ScopedManager()

    class Meta:
        ordering = ["district__code", "name", "pk"]
        verbose_name = _("community space")
        verbose_name_plural = _("community spaces")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field, choices in (("amenities", Amenity), ("access_features", AccessFeature)):
            values = getattr(self, field) or []
            if not isinstance(values, list) or any(value not in choices.values for value in values):
                raise ValidationError({field: _("Choose from the listed options.")})

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def display_rules(self) -> str:
        return localized(self, "rules") or str(DEFAULT_RULES)

    @property
    def display_accessibility(self) -> str:
        return localized(self, "accessibility_notes")

    def amenity_labels(self) -> list[str]:
        return [str(Amenity(value).label) for value in self.amenities if value in Amenity.values]

    def access_labels(self) -> list[str]:
        return [
            str(AccessFeature(value).label) for value in self.access_features if value in AccessFeature.values
        ]


class Room(models.Model):
    """A bookable room, with the rules a booking of it must meet."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("space"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices, default=RoomKind.MEETING)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), validators=[MinValueValidator(1)])
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot step (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Bookings start and end on this step, counted from midnight."),
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=60)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=180)
    max_days_ahead = models.PositiveSmallIntegerField(
        _("bookable how many days ahead"), default=30, validators=[MinValueValidator(1)]
    )
    min_notice_hours = models.PositiveSmallIntegerField(_("book at least how many hours before"), default=1)
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("residents may cancel until how many hours before"), default=24
    )
    requires_approval = models.BooleanField(
        _("staff approve each booking"),
        default=False,
        help_text=_("Otherwise a booking that meets every rule is confirmed at once."),
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["space", "name", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"{self.space} · {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.min_minutes and self.slot_minutes and self.min_minutes % self.slot_minutes:
            errors["min_minutes"] = _("Make it a multiple of the slot step.")
        if self.max_minutes and self.slot_minutes and self.max_minutes % self.slot_minutes:
            errors["max_minutes"] = _("Make it a multiple of the slot step.")
        if self.min_minutes and self.max_minutes and self.min_minutes > self.max_minutes:
            errors["max_minutes"] = _("The longest booking cannot be shorter than the shortest.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening interval of a space on a weekday, in local (Asia/Seoul) time. A day may have several
    (10:00–12:00 and 13:00–21:00); a weekday with none is a day the space is shut."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["space", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="opening_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class ClosureReason(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    MAINTENANCE = "maintenance", _("Maintenance")
    EVENT = "event", _("District event")
    OTHER = "other", _("Other")


class Closure(models.Model):
    """Whole local days on which a space, or one of its rooms, takes no bookings."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="closures")
    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("room"),
        help_text=_("Leave empty to close the whole space."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[refuse_identifiers])

    class Meta:
        ordering = ["space", "starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="closure_order"),
        ]
        indexes = [models.Index(fields=["space", "ends_on"], name="closure_space_end")]

    def __str__(self) -> str:
        label = self.note or self.get_reason_display()
        if self.starts_on == self.ends_on:
            return f"{self.starts_on:%Y-%m-%d} {label}"
        return f"{self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d} {label}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
        if self.room_id and self.space_id and self.room.space_id != self.space_id:
            raise ValidationError({"room": _("Choose a room of this space.")})


class BookingPolicy(models.Model):
    """A district's per-household limits and no-show penalties, for all of its spaces."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="booking_policy", verbose_name=_("district")
    )
    max_upcoming = models.PositiveSmallIntegerField(
        _("upcoming bookings per household"), default=3, validators=[MinValueValidator(1)]
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("booked hours per household per week"), default=6, validators=[MinValueValidator(1)]
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows before a booking ban"), default=3, validators=[MinValueValidator(1)]
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("counted over how many days"), default=90, validators=[MinValueValidator(1)]
    )
    ban_days = models.PositiveSmallIntegerField(
        _("ban length (days)"), default=30, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self) -> str:
        return str(self.district)

    @classmethod
    def for_district(cls, district_id: int) -> BookingPolicy:
        """The district's policy, or the defaults (unsaved) when it has not set one."""
        return cls.objects.filter(district_id=district_id).first() or cls(district_id=district_id)


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not approved")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


# The statuses that hold the room. Attended and no-show bookings keep holding their (past) slot, so the
# record of who used the room when stays consistent with the no-overlap rule.
ACTIVE_STATUSES = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
)
UPCOMING_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class BookingSeries(models.Model):
    """Staff bookings for a regular program: the same weekday(s) and hours every week until an end date.

    Created all-or-nothing (spaces.services.series_create); its occurrences are ordinary bookings with
    `series` set, so availability, the no-overlap rule and cancellation treat them like any other.
    """

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series", verbose_name=_("room"))
    title = models.CharField(_("title"), max_length=120, validators=[refuse_identifiers])
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking_series",
        verbose_name=_("program"),
    )
    weekdays = models.JSONField(_("weekdays"), default=list)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"))
    headcount = models.PositiveSmallIntegerField(_("expected participants"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager()
    # Staff of the room's space's district run the series.
    district_scope = "room__space__district"

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return self.title

    @property
    def district_id(self) -> int:
        return self.room.space.district_id

    def weekday_labels(self) -> str:
        return ", ".join(str(Weekday(day).label) for day in sorted(self.weekdays))


class Booking(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    # The space's district, copied in so scoping and the district's limits filter one indexed column.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("household"),
        help_text=_("Empty for staff bookings (series for regular programs)."),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("series"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    headcount = models.PositiveSmallIntegerField(_("number of people"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("purpose"), max_length=200, validators=[refuse_identifiers])
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["reminder_sent_at"])

    # Scoped by the space's district (copied into `district`), not the household's: the space's staff run
    # its rooms.
    objects = ScopedManager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="booking_order"),
            # The no-overlap exclusion constraint is PostgreSQL-only: migration 0002 adds it there.
        ]
        indexes = [
            # A room's bookings in a time window (availability, the overlap check).
            models.Index(fields=["room", "starts_at"], name="booking_room_start"),
            # A household's upcoming bookings and weekly hours (limits, "my bookings").
            models.Index(fields=["household", "starts_at"], name="booking_household_start"),
            # The district's queue: pending first, oldest first; and the reminders job.
            models.Index(fields=["district", "status", "starts_at"], name="booking_district_status"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        # The year in Seoul: a booking made at 08:00 on 1 January belongs to the new year.
        year = to_local(self.created_at).year if self.created_at else ""
        return f"BK-{year}-{self.pk:06d}" if self.pk else str(_("New booking"))

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Suspension(models.Model):
    """A booking ban for a household after repeated no-shows (or set by staff), in one district.

    Lifting it early (lifted_at) is the staff override.
    """

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="booking_suspensions"
    )
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
    history = HistoricalRecords()

    objects = ScopedManager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        indexes = [models.Index(fields=["household", "ends_at"], name="suspension_household_end")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class CalendarFeed(models.Model):
    """A resident's private iCalendar feed address. Only the SHA-256 of its token is kept: the address
    is shown once, when it is made; making a new one revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user_id)
