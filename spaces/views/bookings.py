"""Booking a room, and "My bookings": the list, a booking's page, cancelling, changing the time and the
.ics download. A refusal (BookingError) is shown next to the fields it concerns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from households.selectors import household_for
from households.services import applicant_household
from portal.errors import DomainError
from portal.timeutils import to_local

from ..forms import BookingForm, BookingTimeForm, initial_from_query
from ..ical import calendar_for
from ..models import UPCOMING_STATUSES, Booking, BookingStatus, Suspension
from ..rules import check_booking
from ..services import (
    booking_cancel,
    booking_create,
    booking_reschedule,
    cancel_deadline,
    resident_can_change,
)
from .common import (
    add_booking_error,
    bookable_room,
    booking_place,
    booking_when,
    ics_response,
    opening_hours,
    own_booking,
    room_rule_lines,
)

PAGE_SIZE = 20


# --- booking -----------------------------------------------------------------------------------------


def _created_message(booking: Booking) -> str:
    values = {"reference": booking.reference, "place": booking_place(booking), "when": booking_when(booking)}
    if booking.status == BookingStatus.PENDING:
        return (
            _(
                "Request sent: %(place)s, %(when)s (reference %(reference)s). Staff approve bookings of "
                "this room: we will tell you when they decide."
            )
            % values
        )
    return _("Booked: %(place)s, %(when)s. Your booking %(reference)s is confirmed.") % values


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    room = bookable_room(pk)
    try:
        household = applicant_household(request.user)
    except DomainError as error:
        return render(
            request, "spaces/profile_needed.html", {"room": room, "space": room.space, "error": error}
        )
    hours = [(opens, closes) for opens, closes, _day in opening_hours(room.space_id)]
    if request.method == "POST":
        form = BookingForm(request.POST, room=room, hours=hours)
        if form.is_valid():
            try:
                booking = booking_create(
                    user=request.user,
                    room_id=room.pk,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    headcount=form.cleaned_data["headcount"],
                    purpose=form.cleaned_data["purpose"],
                    request=request,
                )
            except DomainError as error:  # BookingError: the rules that failed, each with its field
                add_booking_error(form, error)
            else:
                messages.success(request, _created_message(booking))
                return redirect("spaces:booking_detail", pk=booking.pk)
        elif form.starts_at and form.ends_at:
            # Say every rule the time breaks now, not after the form's own mistakes are fixed.
            form.add_failures(
                check_booking(
                    room=room,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    headcount=form.cleaned_data.get("headcount"),
                    purpose=form.cleaned_data.get("purpose", ""),
                    household_id=household.pk,
                )
            )
    else:
        form = BookingForm(initial=initial_from_query(request.GET, room), room=room, hours=hours)
    return render(
        request,
        "spaces/book.html",
        {"room": room, "space": room.space, "form": form, "rule_lines": room_rule_lines(room)},
    )


# --- my bookings -------------------------------------------------------------------------------------


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = Booking.objects.filter(household__user_id=request.user.pk).select_related("room__space")
    upcoming = list(mine.filter(status__in=UPCOMING_STATUSES, ends_at__gt=now).order_by("starts_at", "pk"))
    for booking in upcoming:
        booking.can_change = resident_can_change(booking, now)
    others = mine.exclude(status__in=UPCOMING_STATUSES, ends_at__gt=now).order_by("-starts_at", "-pk")
    page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("page"))
    household = household_for(request.user)
    suspensions = (
        list(
            Suspension.objects.filter(
                household=household, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
            ).select_related("district__city")
        )
        if household
        else []
    )
    return render(
        request,
        "spaces/bookings.html",
        {
            "upcoming": upcoming,
            "page_obj": page,
            "past": page.object_list,
            "querystring": "",
            "suspensions": suspensions,
        },
    )


def _detail_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "space": booking.room.space,
        "can_change": resident_can_change(booking),
        "is_upcoming": booking.status in UPCOMING_STATUSES and booking.ends_at > timezone.now(),
        "deadline": cancel_deadline(booking),
    }


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "spaces/booking_detail.html", _detail_context(own_booking(request, pk)))


@login_required
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    booking = own_booking(request, pk)
    if request.method == "POST":
        try:
            booking_cancel(user=request.user, booking_id=booking.pk, request=request)
        except Booking.DoesNotExist as missing:
            raise Http404 from missing
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your booking %(reference)s is cancelled.") % {"reference": booking.reference}
            )
        return redirect("spaces:booking_detail", pk=booking.pk)
    if booking.status not in UPCOMING_STATUSES:
        messages.info(
            request,
            _("This booking is %(status)s: there is nothing to cancel.")
            % {"status": booking.get_status_display()},
        )
        return redirect("spaces:booking_detail", pk=booking.pk)
    return render(request, "spaces/booking_cancel.html", _detail_context(booking))


@login_required
def booking_change(request: HttpRequest, pk: int) -> HttpResponse:
    booking = own_booking(request, pk)
    room = booking.room
    if not resident_can_change(booking):
        messages.error(request, _("This booking can no longer be changed online. Please call the space."))
        return redirect("spaces:booking_detail", pk=booking.pk)
    hours = [(opens, closes) for opens, closes, _day in opening_hours(room.space_id)]
    if request.method == "POST":
        form = BookingTimeForm(request.POST, room=room, hours=hours)
        if form.is_valid():
            try:
                booking = booking_reschedule(
                    actor=request.user,
                    booking_id=booking.pk,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    request=request,
                )
            except Booking.DoesNotExist as missing:
                raise Http404 from missing
            except DomainError as error:
                add_booking_error(form, error)
            else:
                if booking.status == BookingStatus.PENDING:
                    message = _(
                        "Time changed to %(when)s. Staff approve the new time: we will tell you when they "
                        "decide."
                    )
                else:
                    message = _("Time changed to %(when)s. Your booking is confirmed.")
                messages.success(request, message % {"when": booking_when(booking)})
                return redirect("spaces:booking_detail", pk=booking.pk)
    else:
        start, end = to_local(booking.starts_at), to_local(booking.ends_at)
        form = BookingTimeForm(
            initial={
                "date": start.date().isoformat(),
                "start_time": f"{start:%H:%M}",
                "end_time": f"{end:%H:%M}",
            },
            room=room,
            hours=hours,
        )
    return render(request, "spaces/booking_change.html", {**_detail_context(booking), "form": form})


@login_required
@require_safe
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    booking = own_booking(request, pk)
    content = calendar_for([booking], name=booking_place(booking))
    return ics_response(content, f"{booking.reference}.ics", attachment=True)
