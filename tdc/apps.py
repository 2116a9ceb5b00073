from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class TdcConfig(AppConfig):
    name = "tdc"
    verbose_name = "The Dreamer's Cave"

    def ready(self):
        # django-q2 names its admin section after Q_CLUSTER["label"], a plain string (it is
        # serialised with the rest of the settings); this name follows the reader's language.
        apps.get_app_config("django_q").verbose_name = _("Task queue")
