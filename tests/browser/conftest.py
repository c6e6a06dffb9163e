"""Browser tests: Playwright driving the system's Chromium against a live server on port 18660.

Playwright's own browser download is not used: Debian's `chromium` is launched by path. When
it (or the `playwright` package) is missing the tests are skipped with the reason printed;
`.ci/run` installs Chromium and runs them. Screenshots go to `tests/browser/screenshots/`.
"""

import os
import shutil
from pathlib import Path

import pytest

# The live server's address (pytest-django reads it when the server starts).
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:18660")
# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the `playwright` package is not installed"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if not reason:
        return
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    reason = _missing()
    if reason:
        terminalreporter.write_line(f"Browser tests skipped: {reason}.")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"))
    context.close()


@pytest.fixture
def outside_requests(page, live_server):
    """Every request the page makes to another origin, recorded and stopped."""
    seen = []

    def handle(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    page.route("**/*", handle)
    page.on("requestfailed", lambda r: None if r.url.startswith(live_server.url) else seen.append(r.url))
    return seen
