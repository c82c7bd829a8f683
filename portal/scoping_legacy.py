# TEMPORARY during the layering refactor: each app moves to `Model.objects.visible_to(user)` (portal.scoping).
"""Which rows a staff member may see. Every staff-facing queryset goes through one of these helpers
(admin get_queryset, search, autocomplete, API, exports), so district scoping is decided in one place.

A city admin sees everything; district staff see their own district only; anyone else sees nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from households.models import Household
from lockers.models import Delivery, LockerSite
from programs.models import Application, Program
from safety.models import KitRequest, KitStock
from spaces.models import Booking, BookingSeries, Space, Suspension

from .models import AuditEvent, District, User


def _district_of(user: User) -> int | None:
    return user.district_id if user.is_authenticated and user.is_staff else None


def households_visible_to(user: User, queryset: QuerySet[Household] | None = None) -> QuerySet[Household]:
    queryset = Household.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def programs_visible_to(user: User, queryset: QuerySet[Program] | None = None) -> QuerySet[Program]:
    """Staff see their district's programs and their city's city-wide ones (read-only for the latter)."""
    queryset = Program.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    if not district:
        return queryset.none()
    city = District.objects.filter(pk=district).values("city_id")  # a subquery, not an extra round trip
    return queryset.filter(Q(district_id=district) | Q(district__isnull=True, city_id__in=city))


def program_editable_by(user: User, program: Program) -> bool:
    """Only a city admin edits city-wide programs; district staff edit their own district's."""
    if user.sees_all_districts:
        return True
    return program.district_id is not None and program.district_id == _district_of(user)


def audit_events_visible_to(user: User, queryset: QuerySet[AuditEvent] | None = None) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def applications_visible_to(
    user: User, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Applications of residents of the staff member's district (the district they applied from)."""
    queryset = Application.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def kit_requests_visible_to(user: User, queryset: QuerySet[KitRequest] | None = None) -> QuerySet[KitRequest]:
    """Safety-kit requests of the staff member's district (the requesting household's district)."""
    queryset = KitRequest.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def stock_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """A district's stock rows or ledger movements (any queryset with a `district`): own district only."""
    queryset = KitStock.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def locker_sites_visible_to(user: User, queryset: QuerySet[LockerSite] | None = None) -> QuerySet[LockerSite]:
    queryset = LockerSite.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def deliveries_visible_to(user: User, queryset: QuerySet[Delivery] | None = None) -> QuerySet[Delivery]:
    """Parcel-locker deliveries at the staff member's district's sites."""
    queryset = Delivery.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def spaces_visible_to(user: User, queryset: QuerySet[Space] | None = None) -> QuerySet[Space]:
    """Community spaces of the staff member's district."""
    queryset = Space.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def bookings_visible_to(user: User, queryset: QuerySet[Booking] | None = None) -> QuerySet[Booking]:
    """Bookings of rooms in the staff member's district's spaces (the space's district, not the
    household's: the space's staff run its rooms)."""
    queryset = Booking.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()


def booking_series_visible_to(
    user: User, queryset: QuerySet[BookingSeries] | None = None
) -> QuerySet[BookingSeries]:
    queryset = BookingSeries.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(room__space__district_id=district) if district else queryset.none()


def suspensions_visible_to(user: User, queryset: QuerySet[Suspension] | None = None) -> QuerySet[Suspension]:
    queryset = Suspension.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.sees_all_districts:
        return queryset
    district = _district_of(user)
    return queryset.filter(district_id=district) if district else queryset.none()
