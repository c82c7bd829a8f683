"""How the spaces services refuse: a BookingError lists every booking rule that failed, each with its
field; a SeriesError also lists the dates a staff series cannot book. The API's one exception handler
(portal.api.errors) turns either into the documented JSON error; pages show the messages by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from portal.errors import DomainError

from ..rules import RuleFailure


@dataclass
class BookingError(DomainError):
    """A refusal the user can act on. `failures` lists every rule that failed, each with its field, so a
    form can show each message next to its field and the API can return them under `fields`."""

    failures: list[RuleFailure] = field(default_factory=list)

    # Refusals caused by the state of the room or the booking; any other code is a bad request (400).
    status_by_code: ClassVar[dict[str, int]] = {"taken": 409, "conflicts": 409, "invalid_transition": 409}
    field_by_code: ClassVar[dict[str, str]] = {"reason_required": "reason"}

    @classmethod
    def of(cls, failures: list[RuleFailure]) -> BookingError:
        return cls(failures[0].code, " ".join(f.message for f in failures), failures=failures)

    def by_field(self) -> dict[str, list[str]]:
        if not self.failures:
            return super().by_field()
        fields: dict[str, list[str]] = {}
        for failure in self.failures:
            fields.setdefault(failure.field, []).append(failure.message)
        return fields


@dataclass(frozen=True)
class SeriesConflict:
    day: date
    code: str
    message: str


@dataclass
class SeriesError(BookingError):
    """A staff series refused; with code "conflicts", every date that cannot be booked, and why."""

    conflicts: list[SeriesConflict] = field(default_factory=list)

    def extra(self) -> dict[str, Any]:
        if self.code != "conflicts":
            return {}
        return {
            "conflicts": [
                {"date": conflict.day.isoformat(), "code": conflict.code, "message": str(conflict.message)}
                for conflict in self.conflicts
            ]
        }
