"""Parcels left in their compartment: the reminder before the free period ends, marking parcels past
the holding period for return (Celery beat runs both), and staff taking a parcel out to return it.

The jobs' moves are conditional UPDATEs (stored → return_marked only if still stored; a reminder claimed
by setting reminded_at only if unset), so a job that runs twice, or alongside a pickup, acts once. That
is why deliveries have no portal.workflow.Workflow: only the staff's return is a lock-check-move of one
row, and the kiosk's pickup moves under the compartment's lock with the code check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import User
from portal.notifications import notify

from ..models import IN_COMPARTMENT, Delivery
from .base import LockerError, S, delivery_context, district_caseworkers, policy_for


@transaction.atomic
def delivery_mark_returned(
    *, delivery: Delivery, actor: User, request: HttpRequest | None = None
) -> Delivery:
    """Staff took a parcel out to send it back: the compartment is free again."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("compartment__site__district")
        .get(pk=delivery.pk)
    )
    if delivery.status not in IN_COMPARTMENT:
        raise LockerError(
            "invalid_transition",
            _("This delivery is %(status)s: it cannot be returned.")
            % {"status": delivery.get_status_display()},
        )
    previous = delivery.status
    delivery.status = S.RETURNED
    delivery.closed_at = timezone.now()
    delivery.code_hash = ""
    delivery.save(update_fields=["status", "closed_at", "code_hash"])
    audit_log(
        actor=actor,
        action="lockers.delivery.returned",
        target=delivery,
        subject_user_id=delivery.recipient_id,
        district=delivery.compartment.site.district,
        request=request,
        data={"reference": delivery.reference, "from": previous},
    )
    return delivery


def _districts_with_stored_parcels() -> list[int]:
    return list(Delivery.objects.filter(status=S.STORED).values_list("district_id", flat=True).distinct())


def locker_reminders_due(*, now: datetime | None = None) -> int:
    """Remind recipients whose free period ends within the district's reminder time. At most once per
    delivery (claimed with a conditional UPDATE), however often this runs."""
    now = now or timezone.now()
    sent = 0
    for district_id in _districts_with_stored_parcels():
        policy = policy_for(district_id)
        free = timedelta(hours=policy.free_hours)
        ahead = timedelta(hours=policy.reminder_hours_before_free_end)
        # free_until = deposited_at + free lies in (now, now + ahead]
        due = Delivery.objects.filter(
            district_id=district_id,
            status=S.STORED,
            reminded_at__isnull=True,
            deposited_at__gt=now - free,
            deposited_at__lte=now - free + ahead,
        ).values_list("pk", flat=True)
        for pk in list(due[:1000]):
            with transaction.atomic():
                if not Delivery.objects.filter(pk=pk, status=S.STORED, reminded_at__isnull=True).update(
                    reminded_at=now
                ):
                    continue  # another run claimed it, or it was picked up meanwhile
                delivery = Delivery.objects.select_related("compartment__site", "recipient").get(pk=pk)
                compartment = delivery.compartment
                notify(
                    user=delivery.recipient,
                    template="locker.reminder",
                    event_key=f"locker:{pk}:reminder",
                    context=delivery_context(delivery, compartment, compartment.site, policy),
                )
                sent += 1
    return sent


def locker_overdue_due(*, now: datetime | None = None) -> int:
    """Mark parcels past the holding period for return; tell the recipient and the district's staff.

    Idempotent: the move stored → return_marked is a conditional UPDATE, so a parcel is marked (and
    its messages sent) once.
    """
    now = now or timezone.now()
    marked = 0
    for district_id in _districts_with_stored_parcels():
        policy = policy_for(district_id)
        due = Delivery.objects.filter(
            district_id=district_id,
            status=S.STORED,
            deposited_at__lte=now - timedelta(days=policy.max_hold_days),
        ).values_list("pk", flat=True)
        for pk in list(due[:1000]):
            with transaction.atomic():
                if not Delivery.objects.filter(pk=pk, status=S.STORED).update(status=S.RETURN_MARKED):
                    continue
                delivery = Delivery.objects.select_related("compartment__site__district", "recipient").get(
                    pk=pk
                )
                compartment = delivery.compartment
                site = compartment.site
                event = audit_log(
                    actor=None,
                    action="lockers.delivery.return_marked",
                    target=delivery,
                    subject_user_id=delivery.recipient_id,
                    district=site.district,
                    data={"reference": delivery.reference, "from": S.STORED, "to": S.RETURN_MARKED},
                )
                context = delivery_context(delivery, compartment, site, policy)
                notify(
                    user=delivery.recipient,
                    template="locker.return_marked",
                    event_key=f"locker:{pk}:return_marked:{event.pk}",
                    context=context,
                )
                for staff in district_caseworkers(district_id):
                    notify(
                        user=staff,
                        template="locker.overdue_staff",
                        event_key=f"locker:{pk}:overdue_staff:{event.pk}",
                        context={
                            **context,
                            "link": f"{settings.SITE_URL}/admin/lockers/delivery/{pk}/change/",
                        },
                    )
                marked += 1
    return marked
