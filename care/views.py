"""The resident's side of care: counselling services, booking a free slot with a short intake (the
24-hour crisis lines shown at once when it signals a crisis), my appointments (.ics, cancel, move), my
check-ins (answer, pause, withdraw) and the answer page of a check-in link (no login).

Every rule lives in care.services; a refusal (any DomainError) becomes a form error or a message, so
no bad input ends in a 500 and the form keeps what was typed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.selectors import household_for
from portal.errors import DomainError
from portal.timeutils import local_today

from .forms import BookForm, MoveForm, PauseForm
from .ical import appointment_calendar
from .models import Appointment, CheckIn, CounsellingService, Enrolment, EnrolmentStatus
from .services.appointments import appointment_book, appointment_cancel, appointment_move, resident_can_change
from .services.bans import active_ban, ban_message
from .services.checkins import (
    ANSWERABLE,
    checkin_answer,
    checkin_answer_by_token,
    enrolment_pause,
    enrolment_resume,
    enrolment_withdraw,
    token_checkin,
)
from .services.crisis import signals_crisis
from .services.slots import free_slots

SLOT_DAYS = 14


def _services_for(request: HttpRequest):
    household = household_for(request.user) if request.user.is_authenticated else None
    rows = CounsellingService.objects.filter(is_active=True).select_related("district")
    return rows.filter(district_id=household.district_id) if household else rows


def services(request: HttpRequest) -> HttpResponse:
    return render(request, "care/services.html", {"services": _services_for(request)})


def _ban_notice(request: HttpRequest, district_id: int | None = None) -> str:
    """Why the resident cannot book counselling now (a no-show ban in force), shown before they try."""
    household = household_for(request.user)
    ban = active_ban(household.pk, district_id) if household else None
    return ban_message(ban) if ban else ""


def _form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(_services_for(request), pk=pk)
    first = local_today()
    slots = free_slots(service=service, first=first, last=first + timedelta(days=SLOT_DAYS))
    form = BookForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        counsellor_id, starts_at, mode = form.fields["slot"].parse(form.cleaned_data["slot"])
        try:
            appointment = appointment_book(
                user=request.user,
                service_id=service.pk,
                counsellor_id=counsellor_id,
                starts_at=starts_at,
                mode=mode,
                topic=form.cleaned_data["topic"],
                intake=form.cleaned_data["intake"],
                urgency=form.cleaned_data["urgency"],
                preferred_contact=form.cleaned_data["preferred_contact"],
                request=request,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            # The confirmation page itself shows the 24-hour lines when the intake signalled a crisis:
            # rendered now, not after a redirect the resident might not wait for.
            return render(request, "care/booked.html", {"appointment": appointment})
    context = {
        "service": service,
        "form": form,
        "ban_notice": _ban_notice(request, service.district_id),
        # Words of crisis in a form that could not be booked (a slot just taken, a field missing, a ban)
        # still bring the 24-hour lines to the top of the page at once: safety never waits for a booking.
        "crisis": request.method == "POST"
        and signals_crisis(request.POST.get("topic", ""), request.POST.get("intake", "")),
    }
    return render(request, "care/book.html", context)


def _own(request: HttpRequest, pk: int) -> Appointment:
    household = household_for(request.user)
    if household is None:
        raise Http404
    return get_object_or_404(
        Appointment.objects.filter(household=household).select_related(
            "service", "counsellor__user", "booking__room__space"
        ),
        pk=pk,
    )


@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    household = household_for(request.user)
    rows = (
        Appointment.objects.filter(household=household)
        .select_related("service", "counsellor__user")
        .order_by("-starts_at")[:50]
        if household
        else []
    )
    context = {"appointments": rows, "ban_notice": _ban_notice(request)}
    return render(request, "care/appointments.html", context)


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    return render(
        request,
        "care/appointment.html",
        {"appointment": appointment, "can_change": resident_can_change(appointment)},
    )


@login_required
def appointment_ics(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    response = HttpResponse(appointment_calendar([appointment]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}.ics"'
    return response


@login_required
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    if request.method == "POST":
        try:
            appointment_cancel(user=request.user, appointment_id=appointment.pk, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your appointment is cancelled."))
        return redirect("care:appointment", pk=appointment.pk)
    return render(request, "care/cancel.html", {"appointment": appointment})


@login_required
def appointment_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    first = local_today()
    slots = free_slots(
        service=appointment.service,
        first=first,
        last=first + timedelta(days=SLOT_DAYS),
        counsellor_id=appointment.counsellor_id,
        exclude_appointment_id=appointment.pk,
    )
    form = MoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        _counsellor, starts_at, mode = form.fields["slot"].parse(form.cleaned_data["slot"])
        try:
            appointment_move(
                user=request.user,
                appointment_id=appointment.pk,
                starts_at=starts_at,
                mode=mode,
                request=request,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your appointment is moved."))
            return redirect("care:appointment", pk=appointment.pk)
    return render(request, "care/move.html", {"appointment": appointment, "form": form})


# --- check-ins ------------------------------------------------------------------------------------------


@login_required
def checkins(request: HttpRequest) -> HttpResponse:
    enrolment = Enrolment.objects.filter(household__user=request.user, status=EnrolmentStatus.ACTIVE).first()
    open_rows = (
        CheckIn.objects.filter(enrolment=enrolment, status__in=ANSWERABLE, used_at__isnull=True).order_by(
            "-scheduled_at"
        )[:10]
        if enrolment
        else []
    )
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_pause(
                user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                request=request,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Check-ins are paused for those days."))
            return redirect("care:checkins")
    return render(
        request, "care/checkins.html", {"enrolment": enrolment, "open_checkins": open_rows, "form": form}
    )


@login_required
@require_POST
def checkin_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        checkin_answer(
            user=request.user, checkin_id=pk, answer=request.POST.get("answer", ""), request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for answering."))
    return redirect("care:checkins")


@login_required
@require_POST
def checkins_resume(request: HttpRequest) -> HttpResponse:
    try:
        enrolment_resume(user=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("care:checkins")


@login_required
def checkins_withdraw(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            enrolment_withdraw(user=request.user, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("You have left the wellbeing check-ins. No more messages will be sent.")
            )
        return redirect("care:checkins")
    return render(request, "care/withdraw.html")


def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a check-in link opens (no login). A GET changes nothing — mail systems open links to
    scan them — it shows the answer preselected with one button; the POST answers (single use)."""
    checkin = token_checkin(token)
    if request.method == "POST":
        try:
            answered = checkin_answer_by_token(
                token=token, answer=request.POST.get("answer") or None, request=request
            )
        except DomainError as error:
            return render(request, "care/answer.html", {"error": error.message, "token": token}, status=400)
        return render(request, "care/answered.html", {"checkin": answered})
    if checkin is None:
        return render(
            request,
            "care/answer.html",
            {"error": _("This link is not valid or has expired."), "token": token},
            status=400,
        )
    if checkin.used_at is not None:
        return render(request, "care/answered.html", {"checkin": checkin})
    from django.core import signing

    answer = signing.loads(token, salt="care.checkin.answer")["a"]
    return render(request, "care/answer.html", {"token": token, "answer": answer})
