"""The export form: which data set, which format, and the filters (period, program, status, 행정동).

Every choice is scoped to the user: the data sets their role may view, the programs Program.objects.visible_to
gives them, their own district's 행정동. A program or 행정동 id from another district (a tampered
request) is not among the choices, so the form answers "select a valid choice" and nothing is
exported. The cleaned filters are JSON-safe (ISO dates, integer ids) so a background job replays them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.models import District, Neighbourhood, User
from portal.place_fields import PlaceChoiceField
from programs.models import Program
from reports.models import ExportJob

from .base import PERSONAL_PERMISSION, Exporter, choice_labels
from .exporters import EXPORTERS, exporters_for


class NeighbourhoodChoiceField(PlaceChoiceField):
    """행정동 named with their district (and its city where that is ambiguous) when several districts'
    are listed; a caseworker's list of their own district's 행정동 needs only the names."""

    def __init__(self, *args, with_district: bool = False, **kwargs):
        self.with_district = with_district
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Neighbourhood) -> str:
        return super().label_from_instance(obj) if self.with_district else str(obj)


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Data to export"))
    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.CSV,
        widget=forms.RadioSelect,
    )
    date_from = SupportedDateField(
        label=_("Period from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day, inclusive (Korea time). For example, 2026-01-01."),
    )
    date_to = SupportedDateField(
        label=_("Period until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day, inclusive (Korea time)."),
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label=_("All programs")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    district = PlaceChoiceField(
        label=_("district"), queryset=District.objects.none(), required=False, empty_label=_("All districts")
    )
    neighbourhood = NeighbourhoodChoiceField(
        label=_("neighbourhood (haengjeong-dong)"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("All neighbourhoods"),
    )
    include_personal = forms.BooleanField(
        label=_("Include personal data unmasked (names, mobile numbers, birth dates, addresses)"),
        required=False,
        help_text=_("Every export is recorded in the access log, with whether personal data was included."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.exporters = exporters_for(user)
        self.can_unmask = user.has_perm(PERSONAL_PERMISSION)
        fields = self.fields
        fields["dataset"].choices = [(exporter.name, exporter.label) for exporter in self.exporters]
        fields["program"].queryset = Program.objects.visible_to(user).order_by("title", "pk")
        # One status list grouped by data set; a value names its data set ("applications:approved"),
        # so a status of another data set is refused rather than silently matching nothing.
        fields["status"].choices = [("", _("All statuses"))] + [
            (exporter.label, [(f"{exporter.name}:{value}", label) for value, label in _statuses(exporter)])
            for exporter in self.exporters
            if exporter.statuses is not None
        ]
        if user.sees_all_districts:
            fields["district"].queryset = District.objects.all()
            fields["neighbourhood"].queryset = Neighbourhood.objects.order_by("district__code", "name")
            fields["neighbourhood"].with_district = True
        else:
            del fields["district"]
            fields["neighbourhood"].queryset = Neighbourhood.objects.filter(
                district_id=user.district_id
            ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("include_personal") and not self.can_unmask:
            # Never silently masked or unmasked: refused, saying why (not a field error: the box is
            # not even shown to someone without the permission).
            self.add_error(
                None,
                forms.ValidationError(
                    _("You do not have permission to export unmasked personal data. Export without it."),
                    code="permission",
                ),
            )
        exporter = EXPORTERS.get(data.get("dataset") or "")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day must be the same as or after the first day."))
        if exporter is None:
            return data
        status = data.get("status") or ""
        if status:
            prefix, _sep, value = status.partition(":")
            if prefix != exporter.name:
                self.add_error("status", _("Choose a status of the data you are exporting, or all statuses."))
            else:
                data["status_value"] = value
        if data.get("program") and not exporter.supports_program():
            self.add_error(
                "program",
                _("%(data)s cannot be filtered by program: choose all programs.") % {"data": exporter.label},
            )
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as the exporter and the job store them (JSON-safe; empty ones left out)."""
        data = self.cleaned_data
        filters: dict[str, Any] = {}
        if data.get("date_from"):
            filters["date_from"] = data["date_from"].isoformat()
        if data.get("date_to"):
            filters["date_to"] = data["date_to"].isoformat()
        if data.get("status_value"):
            filters["status"] = data["status_value"]
        for name in ("program", "district", "neighbourhood"):
            if data.get(name) is not None:
                filters[name] = data[name].pk
        return filters


def _statuses(exporter: type[Exporter]) -> list[tuple[str, str]]:
    return list(choice_labels(exporter.statuses).items())


def describe_filters(dataset: str, filters: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs that say in words what an export was filtered by, for the job page."""
    exporter = EXPORTERS.get(dataset)
    lines: list[tuple[str, str]] = []
    if filters.get("date_from") or filters.get("date_to"):
        lines.append((str(_("Period")), f"{filters.get('date_from', '…')} – {filters.get('date_to', '…')}"))
    if filters.get("program"):
        program = Program.objects.filter(pk=filters["program"]).first()
        lines.append((str(_("Program")), str(program) if program else str(filters["program"])))
    if filters.get("status") and exporter is not None and exporter.statuses is not None:
        labels = choice_labels(exporter.statuses)
        lines.append((str(_("Status")), labels.get(filters["status"], filters["status"])))
    if filters.get("district"):
        district = District.objects.filter(pk=filters["district"]).first()
        lines.append((str(_("district")), str(district) if district else str(filters["district"])))
    if filters.get("neighbourhood"):
        neighbourhood = Neighbourhood.objects.filter(pk=filters["neighbourhood"]).first()
        lines.append(
            (
                str(_("neighbourhood (haengjeong-dong)")),
                str(neighbourhood) if neighbourhood else str(filters["neighbourhood"]),
            )
        )
    return lines
