"""The editor shows which sense the translator took for a word without a sign of its own and lets a
person choose another with the keyboard (real headless Chromium against a real `signavatar serve`).
Screenshots go to tests/artifacts/editor-senses/ (git-ignored)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser, chromium_path, headless_browser  # noqa: E402
from real_server import real_service  # noqa: E402

playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[dev])")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (scripts/setup-system.sh)")]

SENTENCE = "Sie können den Termin telefonisch buchen."
MACHINE = ["DU", "TERMIN", "TELEFON", "VEREINBAREN", "KÖNNEN"]
CHOSEN = ["DU", "TERMIN", "TELEFON", "BEZAHLEN", "KÖNNEN"]  # "buchen" as paying for a service
Page = Any  # playwright.sync_api.Page


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_service(tmp_path_factory.mktemp("editor-senses")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_browser("editor-senses") as b:
        yield b


def wait_chips(page: Page, want: list[str]) -> None:
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('#chips li.chip')].map(e => e.dataset.gloss))"
        " === JSON.stringify(want)", arg=want)


def test_the_sense_taken_is_shown_and_another_one_chosen_by_keyboard(url: str, browser: Browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url + "/editor")
    page.fill("#text", SENTENCE)
    page.click("#analyse")
    wait_chips(page, MACHINE)

    booked = page.locator("#chips li.chip[data-gloss='VEREINBAREN']")
    assert booked.locator(".chip-sense-text").inner_text() == "Bedeutung: buchen → VEREINBAREN (einen Termin buchen)"
    assert "Bedeutung: buchen → VEREINBAREN" in (booked.get_attribute("aria-label") or "")
    # a synonym with one sign says which word it stands for, and offers no choice
    phone = page.locator("#chips li.chip[data-gloss='TELEFON']")
    assert phone.locator(".chip-sense-text").inner_text() == "Bedeutung: telefonisch → TELEFON (Synonym)"
    assert phone.locator("select").count() == 0
    assert page.locator("#chips li.chip[data-gloss='TERMIN'] .chip-sense").count() == 0

    choice = page.get_by_label("Andere Bedeutung von „buchen“:")  # the select by its visible label
    assert choice.evaluate("e => e.tagName") == "SELECT"
    assert choice.evaluate("e => [...e.options].map(o => o.textContent)") == [
        "VEREINBAREN – einen Termin buchen", "BEZAHLEN – bezahlen (eine Leistung buchen)"]
    browser.shot(page, "sense-shown")

    choice.press("ArrowDown")  # focus, then a key: a closed select changes with the arrow keys, no mouse needed
    wait_chips(page, CHOSEN)
    page.wait_for_function("() => document.querySelector('#status').innerText.includes('statt VEREINBAREN')")
    assert page.inner_text("#status") == "„buchen“: BEZAHLEN (bezahlen (eine Leistung buchen)) statt VEREINBAREN."
    chosen = page.locator("#chips li.chip[data-gloss='BEZAHLEN']")
    chosen_text = chosen.locator(".chip-sense-text").inner_text()
    assert chosen_text == "Bedeutung: buchen → BEZAHLEN (bezahlen (eine Leistung buchen))"
    # the focus stays on the choice of the replaced gloss, so the keyboard user can go on from there
    assert page.evaluate("() => document.activeElement.className") == "chip-sense-choice"
    assert page.evaluate("() => document.activeElement.closest('li.chip').dataset.gloss") == "BEZAHLEN"
    browser.shot(page, "sense-chosen")

    # the screenshot's resize may take the focus: press focuses the select first
    page.get_by_label("Andere Bedeutung von „buchen“:").press("ArrowUp")  # and back
    wait_chips(page, MACHINE)
    assert errors == [], errors
