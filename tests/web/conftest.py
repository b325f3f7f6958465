"""The browser harness: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures other web tests rely on (keep the names): `browser` (one Chromium per session),
`browser_page` (a fresh page in a fresh context, its base URL the live server), `login`
(log in through the login form) and `screenshot` (desktop and phone PNGs in docs/screenshots).
The browser is Debian's (`scripts/install --test`); `playwright install` is never run.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# around it are still synchronous, so Django's async guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run ./scripts/install --test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser, live_server) -> Iterator:
    """A fresh page (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str, password: str) -> None:
    """Logs in through the login form, as a person would, and waits for the home page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


@pytest.fixture
def login() -> Callable:
    """`login(page, username, password)`."""
    return log_in


def take_screenshots(page, name: str) -> list[Path]:
    """Saves docs/screenshots/<name>-desktop.png and <name>-phone.png of the page as shown."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        paths.append(path)
    page.set_viewport_size(DESKTOP)
    return paths


@pytest.fixture
def screenshot() -> Callable:
    """`screenshot(page, name)`."""
    return take_screenshots


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard caches under the latest audit id, which a rolled-back test reuses."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
