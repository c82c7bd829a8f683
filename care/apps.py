from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    """Care: counselling appointments at the 1인가구 support centre (services, counsellors, hours,
    rooms from spaces, intake with crisis safeguards, confidential notes) and wellbeing check-ins whose
    missed answers always escalate: reminder → caseworker call → home visit.

    May import the core, households, spaces and programs; participation and reports sit above it.
    """

    name = "care"
    verbose_name = _("Care")

    def ready(self) -> None:
        from . import (
            messages,  # noqa: F401 - registers care's notification texts
            receivers,  # noqa: F401 - connects the account-deletion receiver
            retention,  # noqa: F401 - registers care's retention classes
        )
