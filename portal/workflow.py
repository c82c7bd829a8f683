"""The one way a stateful row (an application, a kit request, a booking …) changes status.

Each app declares a ``Workflow``: its model, its transition table and how its audit events and messages
are named. Services then lock the row (``flow.lock``), move it (``flow.move``: the table is checked, the
row saved with its history user, the audit event written in the same transaction) and tell the resident
(``flow.notify``: outbox rows queued on commit, keyed by the audit event so a retried task never sends
twice). The business rules — who may do what, capacity, stock — stay in each app's services.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest

from .audit import audit_log
from .errors import DomainError
from .models import AuditEvent, User
from .notifications import notify


def _nothing(obj: Any) -> None:
    return None


def _no_data(obj: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Workflow:
    model: type[models.Model]
    # Which status may follow which; anything else is refused with `invalid_transition`.
    transitions: Mapping[str, Collection[str]]
    # Audit actions are "<action>.<new status>" for moves, e.g. "programs.application.approved".
    action: str
    # Notification event keys are "<notify_key>:<pk>:<template>:<audit event pk>".
    notify_key: str
    error: type[DomainError]
    # "This application is %(status)s: it cannot be changed that way." (lazily translated)
    refused: Any
    # Joined when locking: what the move's audit and messages read (the row itself is the only lock).
    lock_related: tuple[str, ...] = ()
    # Whose personal data the row is (the access log's subject) and which district's staff it concerns.
    subject_user_id: Callable[[Any], int | None] = _nothing
    district: Callable[[Any], Any] = _nothing
    # Extra keys every audit event of the row carries (e.g. its reference number).
    audit_data: Callable[[Any], dict[str, Any]] = field(default=_no_data)

    def lock(self, pk: int) -> Any:
        """The row, locked until the transaction ends. of=("self",): the joined rows stay unlocked."""
        return (
            self.model.objects.select_for_update(of=("self",)).select_related(*self.lock_related).get(pk=pk)
        )

    def allows(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, ())

    def refusal(self, obj: Any) -> DomainError:
        """The refusal of a move from the row's current status; also for a move the table allows but the
        service's own rule does not (e.g. approving is only from "submitted")."""
        return self.error("invalid_transition", self.refused % {"status": obj.get_status_display()})

    def check(self, obj: Any, to: str) -> None:
        if not self.allows(obj.status, to):
            raise self.refusal(obj)

    def move(
        self, obj: Any, to: str, *, actor: User | None, request: HttpRequest | None = None, **fields: Any
    ) -> Any:
        """Change status on a row the caller locked, refusing what the table does not allow."""
        self.check(obj, to)
        previous = obj.status
        obj.status = to
        for name, value in fields.items():
            setattr(obj, name, value)
        obj._history_user = actor  # simple-history: who made this change, also from tasks
        obj.save()
        self.record(obj, f"{self.action}.{to}", actor=actor, request=request, **{"from": previous, "to": to})
        return obj

    def record(
        self, obj: Any, action: str, *, actor: User | None, request: HttpRequest | None = None, **data: Any
    ) -> AuditEvent:
        """An audit event for the row (a move, or a change that is not one: a visit, a note)."""
        obj._event = audit_log(
            actor=actor,
            action=action,
            target=obj,
            request=request,
            subject_user_id=self.subject_user_id(obj),
            district=self.district(obj),
            data={**data, **self.audit_data(obj)},
        )
        return obj._event

    def notify(
        self,
        obj: Any,
        template: str,
        *,
        user: User | None,
        context: dict[str, Any],
        event: AuditEvent | None = None,
    ) -> None:
        """Tell `user` through their channels, once per audit event (the row's latest by default)."""
        if user is None:
            return
        event = event or obj._event
        notify(
            user=user,
            template=template,
            event_key=f"{self.notify_key}:{obj.pk}:{template}:{event.pk}",
            context=context,
        )
