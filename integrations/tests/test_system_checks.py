"""`manage.py check` on the integration settings: loud on each bad one, silent on good ones."""

import json

import pytest
from django.core.checks import Error, Warning, run_checks

SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "tdc-calendar",
    "private_key_id": "abc123",
    "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----\n",
    "client_email": "tdc-sync@tdc-calendar.iam.gserviceaccount.com",
    "client_id": "1234567890",
    "token_uri": "https://oauth2.googleapis.com/token",
}


def integration_issues():
    return [
        message for message in run_checks(tags=["integrations"]) if message.id.startswith("tdc.")
    ]


def ids():
    return [message.id for message in integration_issues()]


@pytest.fixture
def good_settings(settings, tmp_path):
    credentials = tmp_path / "service-account.json"
    credentials.write_text(json.dumps(SERVICE_ACCOUNT))
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials)
    settings.GOOGLE_CALENDAR_INTERNAL_ID = "staff@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_PUBLIC_ID = "public@group.calendar.google.com"
    settings.PATREON_CLIENT_ID = "client-id"
    settings.PATREON_CLIENT_SECRET = "client-secret"
    settings.PATREON_CREATOR_ACCESS_TOKEN = "creator-token"
    settings.PATREON_WEBHOOK_SECRET = "webhook-secret"
    settings.FACEBOOK_GRAPH_VERSION = "v24.0"
    return settings


def test_a_complete_good_configuration_is_silent(good_settings):
    assert integration_issues() == []


def test_nothing_configured_is_silent(settings):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    settings.GOOGLE_CALENDAR_INTERNAL_ID = settings.GOOGLE_CALENDAR_PUBLIC_ID = ""
    settings.PATREON_CLIENT_ID = settings.PATREON_CREATOR_ACCESS_TOKEN = ""
    settings.PATREON_CREATOR_REFRESH_TOKEN = settings.PATREON_WEBHOOK_SECRET = ""
    assert integration_issues() == []


def test_missing_credentials_file_is_an_error(good_settings, tmp_path):
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(tmp_path / "gone.json")
    [issue] = integration_issues()
    assert isinstance(issue, Error) and issue.id == "tdc.E001"
    assert "no file at" in issue.msg and "gone.json" in issue.msg


def test_credentials_path_that_is_a_folder_is_an_error(good_settings, tmp_path):
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(tmp_path)
    assert ids() == ["tdc.E001"]


def test_credentials_file_that_is_not_json_is_an_error(good_settings, tmp_path):
    path = tmp_path / "key.p12"
    path.write_bytes(b"\x30\x82\x0a\x01 binary pkcs12")
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    [issue] = integration_issues()
    assert issue.id == "tdc.E002" and "not a JSON file" in issue.msg


def test_oauth_client_file_instead_of_service_account_is_an_error(good_settings, tmp_path):
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": {"client_id": "x", "client_secret": "shh-secret"}}))
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    [issue] = integration_issues()
    assert issue.id == "tdc.E002" and "an OAuth client file" in issue.msg
    assert "shh-secret" not in issue.msg + (issue.hint or "")


def test_service_account_file_without_private_key_is_an_error(good_settings, tmp_path):
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({**SERVICE_ACCOUNT, "private_key": ""}))
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    [issue] = integration_issues()
    assert issue.id == "tdc.E002" and "lacks private_key" in issue.msg


def test_credentials_check_never_quotes_the_private_key(good_settings, tmp_path):
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({**SERVICE_ACCOUNT, "type": "user", "private_key": "SECRETKEY"}))
    good_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    [issue] = integration_issues()
    assert "SECRETKEY" not in issue.msg + (issue.hint or "")


@pytest.mark.parametrize(
    ("internal", "public", "missing"),
    [
        ("staff@group.calendar.google.com", "", "GOOGLE_CALENDAR_PUBLIC_ID"),
        ("", "public@group.calendar.google.com", "GOOGLE_CALENDAR_INTERNAL_ID"),
    ],
)
def test_one_calendar_id_without_the_other_is_a_warning(good_settings, internal, public, missing):
    good_settings.GOOGLE_CALENDAR_INTERNAL_ID = internal
    good_settings.GOOGLE_CALENDAR_PUBLIC_ID = public
    [issue] = integration_issues()
    assert isinstance(issue, Warning) and issue.id == "tdc.W001"
    assert f"but {missing} is not" in issue.msg


@pytest.mark.parametrize(
    "setting",
    ["PATREON_CREATOR_ACCESS_TOKEN", "PATREON_CREATOR_REFRESH_TOKEN", "PATREON_CLIENT_ID"],
)
def test_patreon_configured_without_webhook_secret_is_a_warning(settings, setting):
    settings.PATREON_CREATOR_ACCESS_TOKEN = settings.PATREON_CREATOR_REFRESH_TOKEN = ""
    settings.PATREON_CLIENT_ID = ""
    settings.PATREON_WEBHOOK_SECRET = ""
    setattr(settings, setting, "something")
    [issue] = integration_issues()
    assert isinstance(issue, Warning) and issue.id == "tdc.W002"
    assert "PATREON_WEBHOOK_SECRET" in issue.msg


@pytest.mark.parametrize("version", ["24.0", "v24", "v24.0.1", "V24.0", "latest", "", " v24.0"])
def test_graph_version_not_in_vN_N_form_is_an_error(good_settings, version):
    good_settings.FACEBOOK_GRAPH_VERSION = version
    [issue] = integration_issues()
    assert isinstance(issue, Error) and issue.id == "tdc.E003"


@pytest.mark.parametrize("version", ["v24.0", "v3.3", "v100.12"])
def test_graph_versions_in_vN_N_form_pass(good_settings, version):
    good_settings.FACEBOOK_GRAPH_VERSION = version
    assert integration_issues() == []


def test_manage_py_check_reports_the_bad_setting(good_settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    good_settings.FACEBOOK_GRAPH_VERSION = "24.0"
    with pytest.raises(SystemCheckError, match=r"tdc\.E003"):
        call_command("check")


@pytest.mark.parametrize("days", [0, -5])
def test_a_call_log_retention_below_one_day_is_an_error(good_settings, days):
    good_settings.INTEGRATION_LOG_RETENTION_DAYS = days
    [issue] = integration_issues()
    assert isinstance(issue, Error) and issue.id == "tdc.E004"
    assert f"INTEGRATION_LOG_RETENTION_DAYS is {days}" in issue.msg


def test_a_call_log_retention_of_one_day_or_more_passes(good_settings):
    good_settings.INTEGRATION_LOG_RETENTION_DAYS = 1
    assert integration_issues() == []
