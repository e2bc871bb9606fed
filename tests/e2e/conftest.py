"""Browser tests: Playwright drives Debian's Chromium (headless) against the live server.

Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls there
unless told that this is a test process, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import shutil
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORT

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # the clerks sit in Hessen: the browser's clock reads German time, as the server's does
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def anmelden(page, live_server):
    def _anmelden(username, passwort=PASSWORT):
        page.goto(f"{live_server.url}/anmelden/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(passwort)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _anmelden


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def barrierefrei(axe):
    """Assert that axe-core finds no serious or critical violation on the current page."""

    def pruefen(page):
        ergebnis = axe.run(page)
        schwer = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
            for v in ergebnis.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not schwer, f"{page.url}: " + "; ".join(schwer)

    return pruefen


@pytest.fixture(autouse=True)
def _verbindungen_schliessen(page):
    """ORM calls made while Playwright's event loop runs get their own connection; close it.

    Before the database is emptied for the next test, the page is closed and the live server
    (and the worker) are given time to finish what the browser last asked for: a request still
    running during the TRUNCATE can deadlock with it.
    """
    yield
    from django.db import connection, connections

    page.close()
    with connection.cursor() as cursor:
        ruhig = 0
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            ruhig = ruhig + 1 if cursor.fetchone()[0] == 0 else 0
            if ruhig >= 3:
                break
            time.sleep(0.1)
    connections.close_all()
