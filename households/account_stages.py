"""Hana's login stages, loaded by allauth by their dotted path once a login flows through them.

A module of their own, away from the adapter: ``allauth.account.stages`` imports allauth's internal
flows, which import it back, so importing it first (as the adapter check can, in whichever order
Django runs its checks) fails half-way. By the time a login runs, allauth is wholly loaded.
"""

from __future__ import annotations

from allauth.account.stages import EmailVerificationStage


class SignupEmailVerificationStage(EmailVerificationStage):
    """allauth's verification stage on sign-up only; a later login goes through unverified."""

    def handle(self):
        if self.login.signup:
            return super().handle()
        return None, True
