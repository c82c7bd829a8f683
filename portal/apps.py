from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True  # this module also holds HanaAdminConfig
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            heartbeat,  # noqa: F401 - registers the heartbeat task in every process
            pagecache,
        )
        from .models import City, District, Neighbourhood
        from .retention_classes import register_core_classes
        from .roles import ensure_role_groups
        from .staff_session import start_clock_on_login
        from .unicodetext import normalize_instance

        user_logged_in.connect(start_clock_on_login, dispatch_uid="hana.staff_session_clock")
        _supported_dates_in_model_serializers()
        # Every row's text is stored composed (NFC), whichever keyboard typed it.
        pre_save.connect(normalize_instance, dispatch_uid="hana.nfc_text")
        # Place names appear on every public page that lists programs or spaces.
        pagecache.watch(City, District, Neighbourhood)
        # The retention table: the core's classes here, each app's from its own ready().
        register_core_classes()

        # Permissions exist only after migrate has run, so the role groups are synced there.
        post_migrate.connect(ensure_role_groups, dispatch_uid="hana.ensure_role_groups")


def _supported_dates_in_model_serializers() -> None:
    """Every ModelSerializer's generated date fields use the portal's supported range (portal.api.fields),
    like the fields the apps declare: a writable model date can never overflow further on."""
    from django.db import models
    from rest_framework.serializers import ModelSerializer

    from .api.fields import SupportedDateField, SupportedDateTimeField

    ModelSerializer.serializer_field_mapping[models.DateField] = SupportedDateField
    ModelSerializer.serializer_field_mapping[models.DateTimeField] = SupportedDateTimeField


class HanaAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Hana's site as the default one (Django's documented way to replace it):
    staff 2-step login (django-otp) when STAFF_OTP_REQUIRED is on, for every ModelAdmin on admin.site."""

    default = False  # "portal" alone still means PortalConfig
    default_site = "portal.admin_site.HanaAdminSite"

    def ready(self) -> None:
        from django.contrib.admin import options
        from django.contrib.admin.filters import FieldListFilter
        from django.db import models

        from .datefields import SupportedDateField
        from .place_fields import PlaceChoiceField, PlaceListFilter, is_place_relation

        # Every ModelAdmin and inline reads a model's dates with the portal's supported range
        # (portal.timeutils): a closure or an application period ending 9999-12-31 is a field error,
        # not an overflow in every availability or catalogue computation afterwards. Each admin copies
        # these defaults when it is created, so they are set before autodiscovery registers any; an
        # admin naming its own form class for dates (formfield_overrides) still wins.
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField]["form_class"] = SupportedDateField
        # Districts and 행정동 in every admin dropdown and sidebar filter carry their city or district
        # where a name alone is ambiguous (six cities have a 중구); other foreign keys keep str().
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.ForeignKey] = {"form_class": PlaceChoiceField}
        FieldListFilter.register(is_place_relation, PlaceListFilter, take_priority=True)
        super().ready()
