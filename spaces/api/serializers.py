"""What the spaces API sends and accepts (the views are in spaces.api.public, .resident and .staff).

Every datetime is written in ISO 8601 with Seoul's offset (2026-03-02T10:00:00+09:00), whatever the
server's or the request's time zone; a datetime sent without an offset is read as Seoul time.
Opening hours and closures are local wall-clock times and dates, as the space states them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.errors import ApiErrorDetailSerializer
from portal.api.fields import LocalizedField, SupportedDateField, SupportedDateTimeField
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from portal.timeutils import local_today, local_zone

from ..availability import MAX_RANGE_DAYS, Day, SlotState
from ..models import (
    UPCOMING_STATUSES,
    AccessFeature,
    Amenity,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    OpeningHours,
    Room,
    RoomKind,
    Space,
    Weekday,
)
from ..rules import week_start
from ..services import cancel_deadline, resident_can_change


def enum_field(values: list, description: str):
    # Wrapped in allOf so drf-spectacular keeps each enum inline: extracted, a second "StatusEnum" or
    # "KindEnum" would collide with another app's and break `spectacular --fail-on-warn`.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}

    @extend_schema_field(schema)
    class EnumField(serializers.CharField):
        pass

    return EnumField


def enum_choice(values: list[str], description: str, **kwargs: Any) -> serializers.ChoiceField:
    """A ChoiceField whose enum stays inline in the schema (see enum_field)."""

    @extend_schema_field({"allOf": [{"type": "string", "enum": list(values)}], "description": description})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=list(values), help_text=description, **kwargs)


BookingStatusField = enum_field(
    BookingStatus.values, "The booking's status; status_display says it in words."
)
RoomKindField = enum_field(RoomKind.values, "The kind of room; kind_display says it in words.")
ClosureReasonField = enum_field(ClosureReason.values, "Why it is closed; reason_display says it in words.")
SlotStateField = enum_field(
    [SlotState.FREE, SlotState.TAKEN, SlotState.PENDING, SlotState.CLOSED, SlotState.UNAVAILABLE],
    "free: bookable now; taken or pending (awaiting approval): held by a booking; closed: outside "
    "opening hours or a closure day; unavailable: past, too soon or too far ahead to book online.",
)
TakenStateField = enum_field(
    ["taken", "pending"], "taken: booked; pending: held by a booking awaiting staff approval."
)


class SeoulDateTimeField(SupportedDateTimeField):
    """ISO 8601 with the +09:00 offset; input without an offset is read as Asia/Seoul time."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", local_zone())
        super().__init__(**kwargs)


# --- spaces and rooms --------------------------------------------------------------------------------


class LabelledCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs.")
    label = serializers.CharField(help_text="In the request's language.")


def _labelled(values: list[str], choices) -> list[dict[str, str]]:
    return [
        {"code": value, "label": str(choices(value).label)} for value in values if value in choices.values
    ]


class RoomSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    kind = RoomKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Room
        fields = ("id", "name", "kind", "kind_display", "capacity", "requires_approval")


class RoomSerializer(RoomSummarySerializer):
    description = serializers.CharField(source="display_description", read_only=True)
    slot_minutes = serializers.IntegerField(
        read_only=True, help_text="Bookings start and end on this step, counted from midnight."
    )
    min_minutes = serializers.IntegerField(read_only=True, help_text="The shortest booking.")
    max_minutes = serializers.IntegerField(read_only=True, help_text="The longest booking.")
    max_days_ahead = serializers.IntegerField(
        read_only=True, help_text="Bookable up to this many days ahead."
    )
    min_notice_hours = serializers.IntegerField(
        read_only=True, help_text="Book at least this many hours before the start."
    )
    cancel_deadline_hours = serializers.IntegerField(
        read_only=True, help_text="Residents may cancel or move a booking until this many hours before."
    )
    requires_approval = serializers.BooleanField(
        read_only=True,
        help_text="true: bookings wait for staff approval (pending); false: confirmed at once.",
    )

    class Meta(RoomSummarySerializer.Meta):
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "description",
            "capacity",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "max_days_ahead",
            "min_notice_hours",
            "cancel_deadline_hours",
            "requires_approval",
        )


class OpeningHoursSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(read_only=True, help_text="0 Monday … 6 Sunday.")
    weekday_display = serializers.CharField(source="get_weekday_display", read_only=True)
    opens = serializers.TimeField(format="%H:%M", read_only=True, help_text="Local (Seoul) time.")
    closes = serializers.TimeField(format="%H:%M", read_only=True, help_text="Local (Seoul) time.")

    class Meta:
        model = OpeningHours
        fields = ("weekday", "weekday_display", "opens", "closes")


class ClosureSerializer(serializers.ModelSerializer):
    reason = ClosureReasonField(read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    room = serializers.IntegerField(
        source="room_id", read_only=True, allow_null=True, help_text="null: the whole space is closed."
    )

    class Meta:
        model = Closure
        fields = ("starts_on", "ends_on", "reason", "reason_display", "note", "room")


class SpaceListSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    summary = serializers.CharField(source="display_summary", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True, help_text="The district's code.")
    district_name = serializers.CharField(source="district", read_only=True)
    city = serializers.CharField(source="district.city.code", read_only=True, help_text="The city's code.")
    neighbourhood = serializers.StringRelatedField(allow_null=True, help_text="The haengjeong-dong.")
    amenities = serializers.SerializerMethodField()
    access_features = serializers.SerializerMethodField()
    rooms = RoomSummarySerializer(source="active_rooms", many=True, read_only=True)

    class Meta:
        model = Space
        fields = (
            "id",
            "slug",
            "name",
            "summary",
            "district",
            "district_name",
            "city",
            "neighbourhood",
            "address",
            "amenities",
            "access_features",
            "rooms",
        )

    @extend_schema_field(LabelledCodeSerializer(many=True))
    def get_amenities(self, obj: Space) -> list[dict[str, str]]:
        return _labelled(obj.amenities or [], Amenity)

    @extend_schema_field(LabelledCodeSerializer(many=True))
    def get_access_features(self, obj: Space) -> list[dict[str, str]]:
        return _labelled(obj.access_features or [], AccessFeature)


class SpaceDetailSerializer(SpaceListSerializer):
    accessibility_notes = serializers.CharField(source="display_accessibility", read_only=True)
    rules = serializers.CharField(
        source="display_rules", read_only=True, help_text="The house rules (the standard ones when unset)."
    )
    rooms = RoomSerializer(source="active_rooms", many=True, read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)
    closures = ClosureSerializer(
        source="upcoming_closures",
        many=True,
        read_only=True,
        help_text="Closures that have not ended yet (today, Seoul time, or later).",
    )

    class Meta(SpaceListSerializer.Meta):
        fields = (
            *SpaceListSerializer.Meta.fields,
            "directions",
            "phone",
            "accessibility_notes",
            "rules",
            "opening_hours",
            "closures",
        )


# --- availability ------------------------------------------------------------------------------------


class _AvailabilityQuery(serializers.Serializer):
    def validate(self, attrs: dict) -> dict:
        first, last = attrs.get("from"), attrs.get("to")
        if first is None and last is None:
            first = week_start(local_today())
        if first is None:
            first = last - timedelta(days=6)
        if last is None:
            last = first + timedelta(days=6)
        if last < first:
            raise serializers.ValidationError({"to": [_("The last day cannot be before the first day.")]})
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"to": [_("Ask for at most %(days)d days at a time.") % {"days": MAX_RANGE_DAYS}]}
            )
        attrs["from"], attrs["to"] = first, last
        return attrs


# "from" is a Python keyword: the fields are given to the class by name.
AvailabilityQuerySerializer = type(
    "AvailabilityQuerySerializer",
    (_AvailabilityQuery,),
    {
        "__module__": __name__,
        "from": SupportedDateField(
            required=False,
            help_text="First day (YYYY-MM-DD, Seoul). Default: this week's Monday (or 6 days before `to`).",
        ),
        "to": SupportedDateField(
            required=False, help_text="Last day (YYYY-MM-DD, inclusive). Default: 6 days after `from`."
        ),
        "slots": serializers.BooleanField(
            required=False, default=False, help_text="true: also list each slot of each day with its state."
        ),
    },
)


class TimeIntervalSerializer(serializers.Serializer):
    starts_at = SeoulDateTimeField()
    ends_at = SeoulDateTimeField()


class TakenIntervalSerializer(TimeIntervalSerializer):
    state = TakenStateField(help_text="Who holds it is never said.")


class RoomSlotSerializer(TimeIntervalSerializer):
    state = SlotStateField()


class OpenIntervalSerializer(serializers.Serializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class AvailabilityDaySerializer(serializers.Serializer):
    date = SupportedDateField()
    weekday = serializers.IntegerField(help_text="0 Monday … 6 Sunday.")
    is_open = serializers.BooleanField(help_text="Open hours on this weekday and no closure.")
    open_intervals = OpenIntervalSerializer(many=True, help_text="The opening hours of the weekday.")
    closure = serializers.CharField(
        allow_null=True, help_text="Why the space or room is closed this whole day; null when it is not."
    )
    free = TimeIntervalSerializer(many=True, help_text="Bookable now: consecutive free slots merged.")
    taken = TakenIntervalSerializer(many=True, help_text="Held by bookings (pending or taken).")
    slots = RoomSlotSerializer(many=True, required=False, help_text="Only with ?slots=true.")


# "from" is a Python keyword: the fields are given to the class by name.
RoomAvailabilitySerializer = type(
    "RoomAvailabilitySerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "room": RoomSerializer(),
        "space": serializers.IntegerField(help_text="The space's id."),
        "time_zone": serializers.CharField(help_text="Asia/Seoul: the zone of the dates and times."),
        "from": SupportedDateField(help_text="The first day shown."),
        "to": SupportedDateField(help_text="The last day shown."),
        "days": AvailabilityDaySerializer(many=True),
    },
)


def day_data(day: Day, *, with_slots: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": day.day,
        "weekday": day.day.weekday(),
        "is_open": day.is_open,
        "open_intervals": [{"opens": opens, "closes": closes} for opens, closes in day.open_intervals],
        "closure": day.closure or None,
        "free": [{"starts_at": start, "ends_at": end} for start, end in day.free_intervals],
        "taken": [
            {
                "starts_at": start,
                "ends_at": end,
                "state": "pending" if status == BookingStatus.PENDING else "taken",
            }
            for start, end, status in day.taken
        ],
    }
    if with_slots:
        data["slots"] = [
            {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "state": slot.state} for slot in day.slots
        ]
    return data


# --- bookings ----------------------------------------------------------------------------------------


class SpaceRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Space
        fields = ("id", "slug", "name", "address")


class RoomRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    kind = RoomKindField(read_only=True)

    class Meta:
        model = Room
        fields = ("id", "name", "kind")


class BookingSerializer(serializers.ModelSerializer):
    space = SpaceRefSerializer(source="room.space", read_only=True)
    room = RoomRefSerializer(read_only=True)
    starts_at = SeoulDateTimeField(read_only=True)
    ends_at = SeoulDateTimeField(read_only=True)
    status = BookingStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Staff's reason for a refusal or cancellation.")
    created_at = SeoulDateTimeField(read_only=True)
    decided_at = SeoulDateTimeField(read_only=True, allow_null=True)
    cancelled_at = SeoulDateTimeField(read_only=True, allow_null=True)
    can_change = serializers.SerializerMethodField(
        help_text="Whether you may still cancel or move it online (until the room's cancellation deadline)."
    )
    change_deadline = serializers.SerializerMethodField(
        help_text="Until when it can be cancelled or moved online (for a confirmed booking)."
    )

    class Meta:
        model = Booking
        fields = (
            "id",
            "reference",
            "space",
            "room",
            "starts_at",
            "ends_at",
            "headcount",
            "purpose",
            "status",
            "status_display",
            "reason",
            "created_at",
            "decided_at",
            "cancelled_at",
            "can_change",
            "change_deadline",
        )

    def get_can_change(self, obj: Booking) -> bool:
        return resident_can_change(obj)

    @extend_schema_field(SeoulDateTimeField(allow_null=True))
    def get_change_deadline(self, obj: Booking) -> str | None:
        if obj.status not in UPCOMING_STATUSES:
            return None
        moment = obj.starts_at if obj.status == BookingStatus.PENDING else cancel_deadline(obj)
        return SeoulDateTimeField().to_representation(moment)


class BookingCreateSerializer(serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), help_text="The room's id.")
    starts_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")
    ends_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")
    headcount = serializers.IntegerField(
        required=False, allow_null=True, help_text="How many people will come (at most the capacity)."
    )
    purpose = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        validators=[refuse_identifiers],
        help_text="What the room is for.",
    )


class RescheduleSerializer(serializers.Serializer):
    starts_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")
    ends_at = SeoulDateTimeField(help_text="ISO 8601; without an offset it is read as Seoul time.")


# --- staff -------------------------------------------------------------------------------------------


def staff_actions(booking: Booking) -> list[str]:
    """Which staff actions the booking's status and time allow now."""
    now = timezone.now()
    actions = []
    if booking.status == BookingStatus.PENDING:
        actions.append("decide")
    if booking.status in UPCOMING_STATUSES and booking.ends_at > now:
        actions.append("cancel")
    if (
        booking.household_id is not None
        and booking.starts_at <= now
        and booking.status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
    ):
        actions.append("attendance")
    return actions


class SeriesRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = BookingSeries
        fields = ("id", "title")


class StaffBookingSerializer(BookingSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    household = serializers.SerializerMethodField(
        help_text="The household's name, masked; null for a staff booking (series)."
    )
    series = SeriesRefSerializer(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="The actions (decide, cancel, attendance) the booking's status and time allow now."
    )

    class Meta(BookingSerializer.Meta):
        fields = (
            "id",
            "reference",
            "district",
            "space",
            "room",
            "starts_at",
            "ends_at",
            "headcount",
            "purpose",
            "status",
            "status_display",
            "household",
            "series",
            "created_at",
            "decided_at",
            "cancelled_at",
            "allowed_actions",
        )

    def get_household(self, obj: Booking) -> str | None:
        return mask_name(obj.household.name) if obj.household_id else None

    def get_allowed_actions(self, obj: Booking) -> list[str]:
        return staff_actions(obj)


class HouseholdContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class StaffBookingDetailSerializer(StaffBookingSerializer):
    household = serializers.SerializerMethodField(
        help_text="Name and phone, for contacting the household; null for a staff booking."
    )
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    attendance_marked_at = SeoulDateTimeField(read_only=True, allow_null=True)

    class Meta(StaffBookingSerializer.Meta):
        fields = (
            *StaffBookingSerializer.Meta.fields,
            "reason",
            "decided_by",
            "attendance_marked_at",
        )

    @extend_schema_field(HouseholdContactSerializer(allow_null=True))
    def get_household(self, obj: Booking) -> dict | None:
        if not obj.household_id:
            return None
        return {"name": obj.household.name, "phone": obj.household.phone}


class BookingDecisionSerializer(serializers.Serializer):
    action = enum_choice(["approve", "reject"], "approve (confirm) or reject (reason required).")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[refuse_identifiers],
        help_text="Required to reject: the resident reads it.",
    )


class AttendanceSerializer(serializers.Serializer):
    outcome = enum_choice(
        ["attended", "no_show"],
        "A no-show may start a booking ban under the district's policy. Can be corrected later.",
    )


class CancelReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        validators=[refuse_identifiers],
        help_text="Required: the resident is told (for their bookings).",
    )


class SeriesProgramSerializer(serializers.Serializer):
    """The program a series' bookings are sessions of (programs sits above spaces: no model import)."""

    id = serializers.IntegerField(read_only=True)
    title = LocalizedField("title")


class BookingSeriesSerializer(serializers.ModelSerializer):
    space = SpaceRefSerializer(source="room.space", read_only=True)
    room = RoomRefSerializer(read_only=True)
    program = SeriesProgramSerializer(read_only=True, allow_null=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="0 Monday … 6 Sunday.")
    weekday_labels = serializers.CharField(read_only=True)
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    created_at = SeoulDateTimeField(read_only=True)
    cancelled_at = SeoulDateTimeField(read_only=True, allow_null=True)
    occurrence_count = serializers.IntegerField(read_only=True, help_text="Bookings the series made.")
    upcoming_count = serializers.IntegerField(
        read_only=True, help_text="Of those, the ones still to come and not cancelled."
    )

    class Meta:
        model = BookingSeries
        fields = (
            "id",
            "title",
            "space",
            "room",
            "program",
            "weekdays",
            "weekday_labels",
            "start_time",
            "end_time",
            "starts_on",
            "ends_on",
            "headcount",
            "created_at",
            "cancelled_at",
            "occurrence_count",
            "upcoming_count",
        )


class SeriesCreateSerializer(serializers.Serializer):
    room = serializers.IntegerField(help_text="A room of your district's spaces.")
    title = serializers.CharField(max_length=120, allow_blank=True, validators=[refuse_identifiers])
    program = serializers.IntegerField(
        required=False, allow_null=True, help_text="The program the sessions belong to (optional)."
    )
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=Weekday.values),
        max_length=7,
        help_text="0 Monday … 6 Sunday.",
    )
    start_time = serializers.TimeField(help_text="Local (Seoul) time, HH:MM.")
    end_time = serializers.TimeField(help_text="Local (Seoul) time, HH:MM.")
    starts_on = SupportedDateField()
    ends_on = SupportedDateField(help_text="At most a year after starts_on.")
    headcount = serializers.IntegerField(min_value=1, default=1, help_text="Expected participants.")


class SeriesCancelResultSerializer(serializers.Serializer):
    cancelled = serializers.IntegerField(help_text="How many occurrences still to come were cancelled.")
    series = BookingSeriesSerializer()


class SeriesConflictSerializer(serializers.Serializer):
    date = SupportedDateField()
    code = serializers.CharField(help_text="closed, outside_hours or taken.")
    message = serializers.CharField()


class SeriesConflictsErrorDetailSerializer(ApiErrorDetailSerializer):
    conflicts = SeriesConflictSerializer(many=True, help_text="Every date that cannot be booked, and why.")


class SeriesConflictsErrorSerializer(serializers.Serializer):
    error = SeriesConflictsErrorDetailSerializer()
