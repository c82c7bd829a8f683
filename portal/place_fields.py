"""Districts and 행정동 in choice lists, labelled so that each can be told apart.

Six cities have a 중구 (and 동구, 서구, 남구, 북구, 강서구 … repeat too): a dropdown of bare names lists
"중구" six times. Wherever a list offers districts, a district whose name another district shares is
labelled with its city ("대구광역시 중구"), and a 행정동 always with its district ("관악구 · 신림동").

`PlaceChoiceField` is the form field (any model: other rows keep their plain label); HanaAdminConfig
makes it every admin foreign key's field and registers `PlaceListFilter` for the admin's sidebar
filters, so no admin has to remember it.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.filters import RelatedFieldListFilter
from django.db import models
from django.db.models import Count

from .models import District, Neighbourhood


def shared_district_names() -> set[str]:
    """The district names more than one district has (one query)."""
    rows = District.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).order_by()
    return {row["name"] for row in rows}


def district_label(district: District, shared: set[str]) -> str:
    return district.full_name if district.name in shared else str(district)


def place_label(obj: models.Model, shared: set[str]) -> str:
    if isinstance(obj, District):
        return district_label(obj, shared)
    if isinstance(obj, Neighbourhood):
        return f"{district_label(obj.district, shared)} · {obj}"
    return str(obj)


def with_places(queryset: models.QuerySet) -> models.QuerySet:
    """The queryset with what the labels read joined in (a label must not cost a query a row)."""
    if queryset.model is District:
        return queryset.select_related("city")
    if queryset.model is Neighbourhood:
        return queryset.select_related("district__city")
    return queryset


class _PlaceIterator(forms.models.ModelChoiceIterator):
    def __init__(self, field: PlaceChoiceField) -> None:
        super().__init__(field)
        self.queryset = with_places(self.queryset)

    def __iter__(self):
        if self.queryset.model in (District, Neighbourhood):
            self.field.shared_names = shared_district_names()
        yield from super().__iter__()


class PlaceChoiceField(forms.ModelChoiceField):
    iterator = _PlaceIterator
    shared_names: set[str] = set()

    def label_from_instance(self, obj: models.Model) -> str:
        return place_label(obj, self.shared_names)


def is_place_relation(field: models.Field) -> bool:
    return bool(field.is_relation and field.related_model in (District, Neighbourhood))


class PlaceListFilter(RelatedFieldListFilter):
    """The admin's sidebar filter by district or 행정동, labelled like the dropdowns."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        queryset = with_places(field.related_model._default_manager.all())
        if ordering:
            queryset = queryset.order_by(*ordering)
        objects = list(queryset)
        # The filter lists every district: which names repeat is read off the list, not asked again.
        shared = _shared_among(objects) if queryset.model is District else shared_district_names()
        return [(obj.pk, place_label(obj, shared)) for obj in objects]


def _shared_among(districts: list[District]) -> set[str]:
    seen: set[str] = set()
    return {d.name for d in districts if d.name in seen or seen.add(d.name)}
