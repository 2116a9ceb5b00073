import pytest

GRAPH = "https://graph.facebook.com/v26.0"
PAGE_ID = "1122334455"
PAGE_TOKEN = "EAAGpagetokensecret0123456789"
APP_ID = "998877"
APP_SECRET = "appsecret-abcdef-0123"


@pytest.fixture
def facebook(settings):
    """A configured Facebook Page (fake credentials; the network is faked with `responses`)."""
    settings.FACEBOOK_PAGE_ID = PAGE_ID
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = PAGE_TOKEN
    settings.FACEBOOK_APP_ID = APP_ID
    settings.FACEBOOK_APP_SECRET = APP_SECRET
    settings.FACEBOOK_GROUP_ID = "555666777"
    settings.FACEBOOK_GRAPH_VERSION = "v26.0"
    settings.FACEBOOK_GRAPH_URL = "https://graph.facebook.com"
    settings.SITE_URL = "https://tdc.example.org"
    return settings


def graph_error(code, message="An error", subcode=None, status=400, trace="AbCdEfTrace"):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": trace}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"json": {"error": error}, "status": status}
