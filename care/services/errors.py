from __future__ import annotations

from typing import ClassVar

from portal.errors import DomainError


class CareError(DomainError):
    """A refusal of a care operation (a slot taken, a deadline passed, a used link …)."""

    status_by_code: ClassVar[dict[str, int]] = {"taken": 409, "link_used": 409, "link_invalid": 400}
