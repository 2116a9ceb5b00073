"""`manage.py check` on the staff notices' settings, without printing the webhook's secret."""

from django.core.checks import run_checks


def _ids(**kwargs) -> list[str]:
    return [message.id for message in run_checks(**kwargs) if message.id.startswith("tdc.")]


def test_a_chat_webhook_that_is_not_https_is_an_error_that_keeps_its_secret(settings):
    settings.STAFF_CHAT_WEBHOOK_URL = "discord.example/api/webhooks/1/token-never-shown"
    messages = [m for m in run_checks() if m.id == "tdc.E005"]
    assert len(messages) == 1
    assert "token-never-shown" not in messages[0].msg + (messages[0].hint or "")


def test_an_https_chat_webhook_or_none_passes(settings):
    settings.STAFF_CHAT_WEBHOOK_URL = "https://discord.example/api/webhooks/1/token"
    assert "tdc.E005" not in _ids()
    settings.STAFF_CHAT_WEBHOOK_URL = ""
    assert "tdc.E005" not in _ids()


def test_the_deploy_check_warns_that_console_mail_reaches_no_one(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "tdc.W003" in _ids(include_deployment_checks=True)
    assert "tdc.W003" not in _ids()  # only when deploying: the demo prints them on purpose
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "tdc.W003" not in _ids(include_deployment_checks=True)
