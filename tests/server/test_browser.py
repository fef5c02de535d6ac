"""The query page and the council page in a real headless browser (Debian chromium + chromedriver).

Skipped when selenium, chromium or chromedriver is missing (``.ci/run``
installs the Debian packages; selenium comes with ``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver"
    ),
]
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1300,900",
)


@contextlib.contextmanager
def headless_chromium() -> Iterator:
    """A chromium driver with a throw-away profile, quit and cleaned up afterwards."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="lgkg-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with headless_chromium() as driver:
        yield driver


def wait(driver, condition, timeout: float = 15):
    return WebDriverWait(driver, timeout).until(condition)


def cells(driver, css: str = "#results table tbody tr") -> list[list[str]]:
    rows = driver.find_elements(By.CSS_SELECTOR, css)
    return [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_browser_named_query_with_a_parameter(browser, served) -> None:
    browser.get(served.url + "/")
    button = wait(
        browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "button[data-name=partners]"))
    )
    button.click()
    council = wait(browser, ec.visibility_of_element_located((By.ID, "param-council")))
    council.send_keys("Southwark")
    browser.find_element(By.ID, "run").click()
    wait(browser, ec.text_to_be_present_in_element((By.ID, "status"), "2 rows"))
    rows = cells(browser)
    assert [r[1] for r in rows] == ["Brent", "Lewisham"]
    link = browser.find_element(By.CSS_SELECTOR, "#results td a")
    assert link.get_attribute("href").endswith("/council/E09000005")
    assert browser.find_element(By.ID, "download-csv").is_enabled()


def test_browser_own_sparql_query(browser, served) -> None:
    browser.get(served.url + "/")
    editor = wait(browser, ec.visibility_of_element_located((By.ID, "editor")))
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#query-list li")))
    editor.clear()
    editor.send_keys("SELECT ?c ?n WHERE { GRAPH ?g { ?c lgkg:shortName ?n } } ORDER BY ?n LIMIT 2")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, ec.text_to_be_present_in_element((By.ID, "status"), "2 rows"))
    rows = cells(browser)
    assert [r[1] for r in rows] == ["Babergh", "Brent"]
    link = browser.find_element(By.CSS_SELECTOR, "#results td a")
    assert link.get_attribute("href").endswith("/council/E07000200")


def test_browser_error_is_shown(browser, served) -> None:
    browser.get(served.url + "/?query=" + "SELECT%20%7B&run=1")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "status"), "400"))
    assert "invalid SPARQL" in browser.find_element(By.ID, "status").text


def test_browser_council_page(browser, served) -> None:
    browser.get(served.url + "/council/Brent")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "council-status"), "partners"))
    assert browser.find_element(By.ID, "council-name").text == "Brent (E09000005)"
    partnerships = cells(browser, "#partnerships tbody tr")
    assert partnerships[0][0] == "Brent-Lewisham shared IT service"
    assert partnerships[0][2] == "done"
    partners = [r[1] for r in cells(browser, "#partners tbody tr")]
    assert partners == ["Lewisham", "Southwark"]
    evidence = browser.find_elements(By.CSS_SELECTOR, "#evidence blockquote")
    assert "Brent and Lewisham formed the service in April 2016." in [e.text for e in evidence]
    years = browser.find_elements(By.CSS_SELECTOR, "#timeline-chart .year")
    assert [y.text for y in years] == ["2016"]
