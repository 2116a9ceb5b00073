"""System checks (`manage.py check`) of the Facebook settings."""

import re

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

GRAPH_VERSION = re.compile(r"v\d+\.\d+")


@register("integrations")
def check_facebook_graph_version(app_configs, **kwargs):
    version = settings.FACEBOOK_GRAPH_VERSION
    if GRAPH_VERSION.fullmatch(version):
        return []
    return [
        Error(
            _("FACEBOOK_GRAPH_VERSION is %(version)s, not a Graph API version like v24.0.")
            % {"version": repr(version)},
            hint=_(
                "Use the form vN.N (a 'v', the major version, a dot, the minor), "
                "e.g. FACEBOOK_GRAPH_VERSION=v24.0."
            ),
            id="tdc.E003",
        )
    ]
