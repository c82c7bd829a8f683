"""One exporter per data set: applications, households, safety-kit requests, parcel deliveries, and room
bookings with their attendance. Headers reuse the models' field names (the same translated strings)."""

from __future__ import annotations

from datetime import UTC

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, LPad, NullIf
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from households.models import Employment, Gender, Household, HousingTenure
from lockers.models import Delivery, DeliveryStatus
from portal.models import User
from programs.models import Application, ApplicationStatus
from safety.models import KitRequest, KitRequestItem, KitRequestStatus, Priority
from spaces.models import Booking, BookingStatus

from .base import CHOICE, CODE, DATE, DATETIME, NUMBER, Column, Exporter, localized

VERDICT_LABELS = {
    "eligible": _("Eligible"),
    "ineligible": _("Not eligible"),
    "needs_info": _("More information needed"),
}


class ApplicationExporter(Exporter):
    name = "applications"
    label = capfirst(_("applications"))
    permission = "programs.view_application"
    statuses = ApplicationStatus
    period_field = "submitted_at"
    program_lookup = "program_id"
    neighbourhood_lookup = "household__neighbourhood_id"
    columns = (
        Column("reference", _("reference number"), kind=CODE),
        Column(localized("program__title"), _("program")),
        Column("status", _("status"), kind=CHOICE, choices=ApplicationStatus),
        Column("household__name", _("name"), personal="name"),
        Column("household__birth_date", _("date of birth"), kind=DATE, personal="birth_date"),
        Column("household__gender", _("gender"), kind=CHOICE, choices=Gender),
        Column("household__phone", _("mobile number"), personal="phone"),
        Column(localized("district__name"), _("district"), kind=CODE),
        Column(localized("household__neighbourhood__name"), _("neighbourhood (haengjeong-dong)"), kind=CODE),
        Column("submitted_at", _("submitted"), kind=DATETIME),
        Column("decided_at", _("decided"), kind=DATETIME),
        Column("eligibility_verdict", _("eligibility"), kind=CHOICE, choices=VERDICT_LABELS),
    )

    def visible(self, user: User) -> QuerySet:
        # A draft is the resident's unfinished form, not yet an application to the district.
        return Application.objects.visible_to(user).exclude(status=ApplicationStatus.DRAFT)


class HouseholdState:
    """The households' "status" filter: on file, or anonymized by the retention job or on request."""

    ACTIVE = "active"
    ANONYMIZED = "anonymized"
    choices = ((ACTIVE, _("On file")), (ANONYMIZED, _("Anonymized")))


class HouseholdExporter(Exporter):
    name = "households"
    label = capfirst(_("households"))
    permission = "households.view_household"
    statuses = HouseholdState
    period_field = "created_at"
    neighbourhood_lookup = "neighbourhood_id"
    columns = (
        Column("name", _("name"), personal="name"),
        Column("birth_date", _("date of birth"), kind=DATE, personal="birth_date"),
        Column("gender", _("gender"), kind=CHOICE, choices=Gender),
        Column("phone", _("mobile number"), personal="phone"),
        Column(localized("district__name"), _("district"), kind=CODE),
        Column(localized("neighbourhood__name"), _("neighbourhood (haengjeong-dong)"), kind=CODE),
        Column("address_detail", _("street address"), personal="address"),
        Column("housing_tenure", _("housing tenure"), kind=CHOICE, choices=HousingTenure),
        Column("household_size", _("household size"), kind=NUMBER),
        Column("employment", _("employment"), kind=CHOICE, choices=Employment),
        Column("created_at", _("created"), kind=DATETIME),
    )

    def visible(self, user: User) -> QuerySet:
        return Household.objects.visible_to(user)

    def filter_status(self, queryset: QuerySet, status: str) -> QuerySet:
        return queryset.filter(anonymized_at__isnull=status != HouseholdState.ANONYMIZED)

    def filter_program(self, queryset: QuerySet, program_id: int) -> QuerySet:
        # Households that applied to the program (any status): an EXISTS, so no household repeats.
        applied = Application.objects.filter(household=OuterRef("pk"), program_id=program_id)
        return queryset.filter(Exists(applied))


class _ItemList(Aggregate):
    """The names of a request's items in one cell, joined in SQL (STRING_AGG / GROUP_CONCAT)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)",
            **extra,
        )


def _kit_items():
    name = (
        Coalesce(NullIf(F("item__name_en"), Value("")), F("item__name"))
        if (get_language() or "ko").startswith("en")
        else F("item__name")
    )
    names = (
        KitRequestItem.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(names=_ItemList(name))
        .values("names")
    )
    return Subquery(names, output_field=CharField())


class KitRequestExporter(Exporter):
    name = "kit-requests"
    label = capfirst(_("kit requests"))
    permission = "safety.view_kitrequest"
    statuses = KitRequestStatus
    period_field = "submitted_at"
    program_lookup = "offer__program_id"
    neighbourhood_lookup = "household__neighbourhood_id"
    columns = (
        Column("reference", _("reference number"), kind=CODE),
        Column("status", _("status"), kind=CHOICE, choices=KitRequestStatus),
        Column("priority", _("priority"), kind=CHOICE, choices=Priority),
        Column(_kit_items, _("items")),
        Column("household__name", _("name"), personal="name"),
        Column("household__phone", _("mobile number"), personal="phone"),
        Column("household__address_detail", _("street address"), personal="address"),
        Column(localized("district__name"), _("district"), kind=CODE),
        Column(localized("household__neighbourhood__name"), _("neighbourhood (haengjeong-dong)"), kind=CODE),
        Column("submitted_at", _("submitted"), kind=DATETIME),
        Column("decided_at", _("decided"), kind=DATETIME),
    )

    def visible(self, user: User) -> QuerySet:
        return KitRequest.objects.visible_to(user)


class DeliveryExporter(Exporter):
    name = "deliveries"
    label = capfirst(_("deliveries"))
    permission = "lockers.view_delivery"
    statuses = DeliveryStatus
    period_field = "deposited_at"
    # The recipient's 행정동 (a locker site has none of its own).
    neighbourhood_lookup = "recipient__household__neighbourhood_id"
    columns = (
        Column("reference", _("reference"), kind=CODE),
        Column("compartment__site__name", _("site")),
        Column("compartment__label", _("compartment")),
        Column("status", _("status"), kind=CHOICE, choices=DeliveryStatus),
        Column("recipient__household__name", _("name"), personal="name"),
        Column("recipient__household__phone", _("mobile number"), personal="phone"),
        Column("courier", _("courier")),
        Column(localized("district__name"), _("district"), kind=CODE),
        Column(
            localized("recipient__household__neighbourhood__name"),
            _("neighbourhood (haengjeong-dong)"),
            kind=CODE,
        ),
        Column("deposited_at", _("deposited"), kind=DATETIME),
        Column("picked_up_at", _("picked up"), kind=DATETIME),
        Column("closed_at", _("closed"), kind=DATETIME),
        Column("fee_charged", _("fee charged (won)"), kind=NUMBER),
    )

    def visible(self, user: User) -> QuerySet:
        return Delivery.objects.visible_to(user)


def _booking_reference():
    """Booking.reference in SQL: BK-<year booked>-<id, at least 6 digits>."""
    pk = Cast("pk", CharField())
    return Concat(
        Value("BK-"),
        Cast(ExtractYear("created_at", tzinfo=UTC), CharField()),
        Value("-"),
        Case(When(pk__lt=1_000_000, then=LPad(pk, 6, Value("0"))), default=pk),
        output_field=CharField(),
    )


def _booking_program():
    """The program a booking serves: its series' program, or the program session held in it."""
    series, session = localized("series__program__title")(), localized("program_session__program__title")()
    return Coalesce(
        F(series) if isinstance(series, str) else series,
        F(session) if isinstance(session, str) else session,
        output_field=CharField(),
    )


class BookingExporter(Exporter):
    """Room bookings and their attendance (attended / no-show, when it was recorded, and for a program
    session held in the room the participants counted)."""

    name = "bookings"
    label = capfirst(_("bookings"))
    permission = "spaces.view_booking"
    statuses = BookingStatus
    period_field = "starts_at"
    neighbourhood_lookup = "room__space__neighbourhood_id"  # the space's 행정동
    columns = (
        Column(_booking_reference, _("reference"), kind=CODE),
        Column(localized("room__space__name"), _("space")),
        Column(localized("room__name"), _("room")),
        Column("starts_at", _("starts"), kind=DATETIME),
        Column("ends_at", _("ends"), kind=DATETIME),
        Column("status", _("status"), kind=CHOICE, choices=BookingStatus),
        Column("attendance_marked_at", _("attendance marked"), kind=DATETIME),
        Column("headcount", _("number of people"), kind=NUMBER),
        Column("purpose", _("purpose")),
        Column(_booking_program, _("program")),
        Column("program_session__participants", _("participants"), kind=NUMBER),
        Column("household__name", _("name"), personal="name"),
        Column("household__phone", _("mobile number"), personal="phone"),
    )

    def visible(self, user: User) -> QuerySet:
        return Booking.objects.visible_to(user)

    def filter_program(self, queryset: QuerySet, program_id: int) -> QuerySet:
        return queryset.filter(Q(series__program_id=program_id) | Q(program_session__program_id=program_id))


EXPORTERS: dict[str, type[Exporter]] = {
    exporter.name: exporter
    for exporter in (
        ApplicationExporter,
        HouseholdExporter,
        KitRequestExporter,
        DeliveryExporter,
        BookingExporter,
    )
}


def exporters_for(user: User) -> list[type[Exporter]]:
    """The data sets this user may export (their role's view permission on the model)."""
    return [exporter for exporter in EXPORTERS.values() if exporter.allowed_for(user)]


def get_exporter(name: str) -> type[Exporter]:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise LookupError(f"unknown export data set {name!r}") from None


__all__ = [
    "EXPORTERS",
    "ApplicationExporter",
    "BookingExporter",
    "DeliveryExporter",
    "HouseholdExporter",
    "KitRequestExporter",
    "exporters_for",
    "get_exporter",
]
