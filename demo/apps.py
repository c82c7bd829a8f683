from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data from the seed documents (``manage.py load_demo``): the top layer, it may import every app.

    Never load it into production.
    """

    name = "demo"
    verbose_name = _("Demo data")
