"""Who answers: a district's teams (each with a lead who is alerted at 36 working hours), which team takes
which topic, and the answer templates staff start from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager


class Topic(models.TextChoices):
    GENERAL = "general", _("General question")
    PROGRAMS = "programs", _("Programs and applications")
    SPACES = "spaces", _("Community spaces and bookings")
    SAFETY = "safety", _("Safety kits")
    PARCELS = "parcels", _("Parcel lockers")
    LIVING = "living", _("Daily life problem (noise, waste, housing)")


class Team(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100, validators=[refuse_identifiers])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team lead"),
        help_text=_("Alerted when an inquiry of the team is still unanswered after 36 working hours."),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("inquiry team")
        verbose_name_plural = _("inquiry teams")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="inquiry_team_name_once")]

    def __str__(self) -> str:
        return self.name


class TopicRoute(models.Model):
    """Topic → team, per district: data, so a district reorganising its teams changes no code."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routes", verbose_name=_("team"))

    objects = ScopedManager()

    class Meta:
        ordering = ["district", "topic"]
        verbose_name = _("topic route")
        verbose_name_plural = _("topic routes")
        constraints = [models.UniqueConstraint(fields=["district", "topic"], name="inquiry_topic_route_once")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} → {self.team}"


class AnswerTemplate(models.Model):
    """A reusable answer; staff pick one in the queue and adapt it. No district: every district's."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    title = models.CharField(_("title"), max_length=100, validators=[refuse_identifiers])
    body = models.TextField(_("answer text"), max_length=2000, validators=[refuse_identifiers])
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["topic", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title
