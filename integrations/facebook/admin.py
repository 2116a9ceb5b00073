"""Facebook's contribution to the composed event admin (see tdc/admin.py)."""


class FacebookEventAdminMixin:
    integration_actions: list = []
    integration_list_display: list = []
    integration_inlines: list = []
    integration_readonly_fields: list = []
