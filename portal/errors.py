"""One kind of refusal for the whole portal.

A service refuses with a ``DomainError`` (each app subclasses it): a stable ``code`` for programs, a
translated ``message`` for people and, when the refusal concerns one input, the ``field`` it belongs to.
Web views show the message next to that field; the API's one exception handler
(``portal.api.errors.exception_handler``) turns it into the documented JSON error shape, choosing the HTTP
status from the code: no view maps refusals by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

# HTTP status by code, for the codes every app shares. Anything not listed is a bad request (400).
BASE_STATUS: dict[str, int] = {
    "not_found": 404,
    "invalid_transition": 409,  # the row's current state does not allow it
}


@dataclass
class DomainError(Exception):
    """A refusal the user can act on. ``code`` is stable for the API; ``message`` is translated."""

    code: str
    message: str
    field: str | None = None

    # A subclass adds its own codes' statuses here (e.g. {"taken": 409}); merged over BASE_STATUS.
    status_by_code: ClassVar[dict[str, int]] = {}
    # A subclass may name the form/API field a code concerns, when the raise site does not.
    field_by_code: ClassVar[dict[str, str]] = {}

    def __str__(self) -> str:
        return self.message

    @property
    def http_status(self) -> int:
        return self._by_code("status_by_code") or BASE_STATUS.get(self.code, 400)

    def by_field(self) -> dict[str, list[str]]:
        """Messages by the field they concern, for a form or the API's ``fields``."""
        name = self.field or self._by_code("field_by_code")
        return {name: [self.message]} if name else {}

    def extra(self) -> dict[str, Any]:
        """More keys for the API's error body (e.g. a series' conflicting dates); none by default."""
        return {}

    def headers(self) -> dict[str, str]:
        """HTTP headers the API answer carries (e.g. WWW-Authenticate on a 401); none by default."""
        return {}

    def _by_code(self, table_name: str) -> Any:
        """This code's entry in the nearest class's table (a subclass's entries win over its base's)."""
        for cls in type(self).__mro__:
            table = cls.__dict__.get(table_name) or {}
            if self.code in table:
                return table[self.code]
        return None
