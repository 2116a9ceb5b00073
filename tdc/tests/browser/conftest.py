"""Playwright, driving Debian's Chromium, against the real app on pytest-django's live server.

Playwright's own browser download cannot work here (no internet): the tests launch
/usr/bin/chromium, which scripts/test.sh installs. External APIs are faked at the HTTP seam
(`responses` for requests-based clients, which works across the live server's thread).
A failing test leaves a screenshot in test-artifacts/.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tdc.tests.browser.helpers import STAFF_PASSWORD, sign_in

CHROMIUM = Path(os.environ.get("TDC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
# A step that needs longer than this is a failure, not slowness: actions, navigations and
# `expect` assertions alike (Playwright's assertions otherwise wait only 5 s, which a shared,
# busy CI machine can exceed for a POST, its redirect and the page after it).
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. scripts/test.sh installs it when run as root; "
            "otherwise run: sudo apt-get install chromium",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an asyncio loop running on this thread, which Django's
    # async-safety guard mistakes for async code calling the ORM. The test code here is
    # synchronous, so the guard is lifted while (and only while) the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(request, chromium, live_server):
    # The browser's language: English, or another with @pytest.mark.parametrize("page",
    # ["it-IT"], indirect=True).
    locale = getattr(request, "param", "en-GB")
    context = chromium.new_context(base_url=live_server.url, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def staff(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="giulia", email="giulia@example.org", password=STAFF_PASSWORD
    )


@pytest.fixture
def signed_in(page, staff):
    sign_in(page, staff)
    return page
