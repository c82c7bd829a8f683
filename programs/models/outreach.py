"""Proactive outreach: the ledger of what each household was told, and the programs it waved away.

A household is told about a program once: the (household, program) row is unique, so a matching task
that is retried or runs twice cannot tell anyone twice (programs.services.outreach). The row is made
when the household is found to qualify; it is `sent` when a message about it went out (at once, in the
weekly digest, or later when the weekly cap or quiet hours held it back), and `withdrawn` when, by the
time it could be sent, the household had applied, waved the program away or no longer qualified.
The funnel (reports) reads `sent_at`, `opened_at` and the applications that followed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedManager


class OutreachNotice(models.Model):
    class Trigger(models.TextChoices):
        PROGRAM = "program", _("The program opened or changed")
        PROFILE = "profile", _("The household's circumstances changed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        WITHDRAWN = "withdrawn", _("Not sent (no longer relevant)")

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="outreach_notices",
        verbose_name=_("household"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="outreach_notices",
        verbose_name=_("program"),
    )
    trigger = models.CharField(_("found when"), max_length=10, choices=Trigger.choices)
    rule_version = models.PositiveIntegerField(_("rule version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The reasons as the message gave them ("rule", "comparison" and their English twins per line).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The message it went out in (portal Notification.event_key): a weekly digest carries several
    # notices under one key, and the weekly cap counts messages, not notices.
    message_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    objects = ScopedManager()
    district_scope = "household__district"  # staff see the notices of their district's residents

    class Meta:
        verbose_name = _("outreach notice")
        verbose_name_plural = _("outreach notices")
        constraints = [
            models.UniqueConstraint(fields=["household", "program"], name="outreach_notice_once"),
        ]
        indexes = [
            models.Index(fields=["program", "sent_at"], name="outreach_program_sent_idx"),
            models.Index(fields=["household", "status"], name="outreach_household_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program} → {self.household_id}"


class ProgramDismissal(models.Model):
    """A resident's "not interested": the program leaves their "new for you" and is never announced again."""

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="program_dismissals",
        verbose_name=_("household"),
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="dismissals", verbose_name=_("program")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("program marked “not interested”")
        verbose_name_plural = _("programs marked “not interested”")
        constraints = [
            models.UniqueConstraint(fields=["household", "program"], name="program_dismissal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program} ✕ {self.household_id}"
