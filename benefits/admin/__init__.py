"""Staff side of cash benefits: terms and budget execution, claims, payments and batches,
re-verifications. Nothing here decides anything itself: every change goes through benefits.services,
and every queryset is scoped through the models' visible_to."""

from . import claims, payments, reverifications, terms  # noqa: F401
