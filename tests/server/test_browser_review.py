"""The document page in a real headless browser: an analyst rejects a fact with the token,
reloads, and finds it gone from the events table and marked rejected on the document page;
without the token nothing changes. Runs as tests/server/test_browser.py does (slow; skipped
without selenium, chromium and chromedriver).

Fixture: tests/fixtures/mini.trig (document A, 884f…: Brent and Lewisham share IT).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from served_app import TOKEN
from test_browser import CHROMEDRIVER, CHROMIUM, cells, headless_chromium, wait

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver"
    ),
]
DOC = "884f1ee6ffaf41b4"
SOURCE = "https://example.org/news/brent-lewisham-shared-it"


@pytest.fixture(scope="module")
def chrome() -> Iterator:
    with headless_chromium() as driver:
        yield driver


def lewisham_events_of_a(driver, url: str) -> list[list[str]]:
    driver.get(url + "/?name=events&run=1")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "status"), "rows"))
    return [r for r in cells(driver) if r[1] == "Lewisham" and r[8] == SOURCE]


def fact_row(driver, number: int):
    return driver.find_element(By.CSS_SELECTOR, f"#facts tr[data-number='{number}']")


def open_document(driver, url: str) -> None:
    driver.get(f"{url}/doc/{DOC}")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "doc-status"), "facts"))


def reject_second_fact(driver, reason: str) -> None:
    driver.find_element(By.ID, "reject-2").click()
    wait(driver, ec.visibility_of_element_located((By.ID, "reason-2"))).send_keys(reason)
    driver.find_element(By.ID, "reject-submit-2").click()


def test_browser_reject_needs_the_token(chrome, served_review) -> None:
    open_document(chrome, served_review.url)
    chrome.execute_script("sessionStorage.clear()")
    chrome.find_element(By.ID, "token").clear()
    reject_second_fact(chrome, "no token")
    wait(chrome, ec.text_to_be_present_in_element((By.ID, "doc-status"), "401"))
    chrome.refresh()
    wait(chrome, ec.text_to_be_present_in_element((By.ID, "doc-status"), "facts"))
    assert fact_row(chrome, 2).get_attribute("class") == "state-extracted"
    assert len(lewisham_events_of_a(chrome, served_review.url)) == 1


def test_browser_reject_a_fact_then_reload(chrome, served_review) -> None:
    assert len(lewisham_events_of_a(chrome, served_review.url)) == 1
    open_document(chrome, served_review.url)
    chrome.find_element(By.ID, "analyst").send_keys("Jo")
    chrome.find_element(By.ID, "token").send_keys(TOKEN)
    reject_second_fact(chrome, "Lewisham is not named")
    wait(chrome, ec.text_to_be_present_in_element((By.ID, "doc-status"), "stored"))
    chrome.refresh()
    wait(chrome, ec.text_to_be_present_in_element((By.ID, "doc-status"), "1 checked"))
    row = fact_row(chrome, 2)
    assert row.get_attribute("class") == "state-rejected"
    state = row.find_element(By.CSS_SELECTOR, "td.state").text
    assert state.startswith("rejected: Lewisham is not named") and "Jo" in state
    assert fact_row(chrome, 1).get_attribute("class") == "state-extracted"
    assert lewisham_events_of_a(chrome, served_review.url) == []


def test_browser_read_only_server_shows_the_checks_and_offers_nothing(chrome, served) -> None:
    open_document(chrome, served.url)
    assert chrome.find_element(By.ID, "read-only").is_displayed()
    assert not chrome.find_elements(By.ID, "reject-1")
    assert not chrome.find_element(By.ID, "credentials").is_displayed()
