"""Rules a household profile must meet, shared by the web form and the API serializer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

# The core's one personal-identifier guard (resident and foreigner registration numbers): the profile
# refuses one like every other free-text field does.
from portal.identifiers import IDENTIFIER_MESSAGE, contains_identifier

MINIMUM_AGE = 14  # PIPA art. 22-2: under 14, a legal guardian must consent instead of the child
SENSITIVE_FIELDS = ("crime_victim", "single_parent", "disability")


def household_problems(data: dict[str, Any], *, sensitive_consent: bool) -> dict[str, list[str]]:
    """Field name → messages for what is wrong with `data` (cleaned values); empty when all is well."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field in ("name", "address_detail"):
        if contains_identifier(data.get(field) or ""):
            add(field, str(IDENTIFIER_MESSAGE))

    birth_date: date | None = data.get("birth_date")
    today = timezone.localdate()
    if birth_date is not None:
        if birth_date > today:
            add("birth_date", _("The date of birth cannot be in the future."))
        elif birth_date.year < today.year - 120:
            add("birth_date", _("Check the year of birth."))
        else:
            age = (
                today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
            )
            if age < MINIMUM_AGE:
                add(
                    "birth_date",
                    _(
                        "Residents under %(age)s need a legal guardian to register for them "
                        "at the district office."
                    )
                    % {"age": MINIMUM_AGE},
                )

    district, neighbourhood = data.get("district"), data.get("neighbourhood")
    if district is not None and neighbourhood is not None and neighbourhood.district_id != district.pk:
        add("neighbourhood", _("This neighbourhood is not in the district you chose."))

    if data.get("notify_by_sms") and not data.get("phone"):
        add("phone", _("Give a mobile number to receive text messages."))

    if not sensitive_consent and any(data.get(f) is not None for f in SENSITIVE_FIELDS):
        add(
            "consent_sensitive",
            _(
                "To record your optional circumstances, tick the consent for sensitive information, "
                "or leave them unanswered."
            ),
        )
    return problems
