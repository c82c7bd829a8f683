"""Reads of the parcel lockers that are more than a `get`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import IN_COMPARTMENT, CompartmentSize, Delivery, LockerRegistration, LockerSite


def sites_with_availability(queryset: QuerySet[LockerSite] | None = None) -> QuerySet[LockerSite]:
    """Sites annotated with their free compartments per size (free_s, free_m, free_l, free_total) and
    compartments in all (total), in one aggregate query whatever the number of sites.

    Free: not locked and holding no parcel (stored or waiting for return).
    """
    queryset = LockerSite.objects.filter(is_active=True) if queryset is None else queryset
    occupied = Delivery.objects.filter(status__in=IN_COMPARTMENT).values("compartment_id")
    free = Q(compartments__locked_at__isnull=True) & ~Q(compartments__pk__in=occupied)
    return queryset.select_related("district").annotate(
        total=Count("compartments"),
        free_total=Count("compartments", filter=free),
        free_s=Count("compartments", filter=free & Q(compartments__size=CompartmentSize.SMALL)),
        free_m=Count("compartments", filter=free & Q(compartments__size=CompartmentSize.MEDIUM)),
        free_l=Count("compartments", filter=free & Q(compartments__size=CompartmentSize.LARGE)),
    )


def phone_variants(phone: str) -> list[str]:
    """The ways a mobile number may be stored: 01012345678, 010-1234-5678, 010-123-4567."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    variants = [digits]
    if len(digits) == 11:
        variants.append(f"{digits[:3]}-{digits[3:7]}-{digits[7:]}")
    elif len(digits) == 10:
        variants.append(f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    return variants


def registrations_by_phone(site: LockerSite, phone: str) -> list[LockerRegistration]:
    """Who registered for `site` with this mobile number (at most two: more than one is ambiguous)."""
    return list(
        LockerRegistration.objects.filter(
            site=site, user__household__phone__in=phone_variants(phone)
        ).select_related("user")[:2]
    )
