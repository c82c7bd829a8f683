from __future__ import annotations

from typing import Any, ClassVar

from portal.errors import DomainError


class CareError(DomainError):
    """A refusal of a care operation (a slot taken, a deadline passed, a used link …)."""

    status_by_code: ClassVar[dict[str, int]] = {
        "taken": 409,
        "link_used": 409,
        "link_invalid": 400,
        "banned": 403,
    }


class CareBanned(CareError):
    """Booking counselling refused: a no-show ban is in force. The API answer carries `until` (the ban's
    end, ISO 8601) next to the message, which says the local date."""

    def __init__(self, message: str, until: str) -> None:
        super().__init__("banned", message)
        self.until = until

    def extra(self) -> dict[str, Any]:
        return {"until": self.until}
