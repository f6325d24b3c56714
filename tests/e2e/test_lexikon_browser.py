"""Issue 23 point 3 in a real headless Chromium against a real `signavatar serve` on a copy of
glosses/: on /editor/lexikon a sign plays as a looping clip, normal and slowed, with its German
words; clips load only for the cards in view; a reviewer approves a sign (still approved after a
reload) and an approved clip that uses the sign stays valid; a rejection without a reason is refused
on the page. Screenshots go to tests/artifacts/lexikon-browser/.

Rejecting and proposing a fix through the service, where a sign is used, and uploading a recording
need the review and recording routes of issue 23: tests/e2e/test_lexikon_upload_browser.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser, chromium_path, headless_browser  # noqa: E402
from lexikon_page import (  # noqa: E402
    REVIEWER,
    approved_clip,
    card,
    clip_still_valid,
    lexicon_service,
    open_lexikon,
    wait_state,
)

playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[dev])")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (scripts/setup-system.sh)")]

PLAYED = ("v => v.readyState >= 2 && !v.paused && v.currentTime > 0"
          " && v.getVideoPlaybackQuality().totalVideoFrames >= 10")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with lexicon_service(tmp_path_factory.mktemp("lexikon-service")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_browser("lexikon-browser") as b:
        yield b


def state_of(sign: dict) -> str:
    review = sign.get("review") or {}
    return str(review.get("state") or ("approved" if sign.get("reviewed") else "unreviewed"))


def test_a_sign_plays_as_a_looping_clip_and_slowed(service: str, browser: Browser) -> None:
    signs = httpx.get(service + "/v1/lexicon", timeout=10).json()["signs"]
    page = open_lexikon(browser, service)
    assert page.locator("#signs li[data-gloss]").count() == len(signs)
    # only the cards in view load their clip: of ~500 the first screenful, not the last one
    page.wait_for_function("() => document.querySelectorAll('#signs video.sign-clip[src]').length > 0")
    loaded = page.eval_on_selector_all("#signs video.sign-clip[src]", "vs => vs.length")
    assert 0 < loaded <= 30, loaded
    assert page.get_attribute("#signs li:last-child video.sign-clip", "src") is None
    # two at a time (the service renders one at a time), the first row all loads and plays
    page.wait_for_function("() => [...document.querySelectorAll('#signs video.sign-clip')].slice(0, 3)"
                           ".every(v => v.readyState >= 2 && !v.paused)", timeout=60_000)
    browser.shot(page, "lexikon-first-screen", full_page=False)

    termin = card(page, "TERMIN")
    video = termin.locator("video.sign-clip")
    video.wait_for()
    handle = video.element_handle()
    page.wait_for_function(PLAYED, arg=handle, timeout=30_000)
    t0 = video.evaluate("v => v.currentTime")
    page.wait_for_function("([v, t]) => v.currentTime !== t", arg=[handle, t0])
    assert video.evaluate("v => [v.loop, v.muted, v.videoWidth, v.videoHeight]") == [True, True, 288, 288]
    assert "speed=1.0" in (video.get_attribute("src") or "")
    normal = video.evaluate("v => v.duration")
    assert "Termin" in termin.locator("dd.words").inner_text()
    assert termin.locator("dd.description").inner_text().strip() not in ("", "–")
    page.wait_for_function("li => !li.querySelector('.used-in-list').textContent.includes('lädt')",
                           arg=termin.element_handle())
    browser.shot(page, "termin-playing", full_page=False)

    termin.get_by_label("langsam (halbe Geschwindigkeit)").check()
    page.wait_for_function("v => v.getAttribute('src').includes('speed=0.5')", arg=handle)
    page.wait_for_function(PLAYED, arg=handle, timeout=30_000)
    slow = video.evaluate("v => v.duration")
    assert 1.5 * normal <= slow <= 2.5 * normal, (normal, slow)
    assert "langsam" in page.inner_text("#status")

    # the play button pauses the loop (WCAG 2.2.2) and says what it will do next
    termin.locator("button.play").click()
    assert video.evaluate("v => v.paused")
    page.wait_for_function("b => b.textContent === 'Abspielen'", arg=termin.locator("button.play").element_handle())
    assert page.errors == [], page.errors


def test_a_reviewer_approves_a_sign_and_approved_clips_stay_valid(service: str, browser: Browser) -> None:
    signs = httpx.get(service + "/v1/lexicon", timeout=10).json()
    target = next(s["gloss"] for s in signs["signs"] if s["kind"] == "lexical" and state_of(s) == "unreviewed"
                  and s["gloss"] not in ("TERMIN",))
    glosses = f"ICH {target}"
    cid = approved_clip(service, glosses)

    page = open_lexikon(browser, service)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    row = card(page, target)
    assert row.locator("dd.state").inner_text() == "ungeprüft"

    # a rejection needs a reason: the page asks for one and sends nothing; Escape closes the form
    row.get_by_role("button", name=f"{target} ablehnen").click()
    reason = row.locator("textarea.reason")
    assert page.evaluate("() => document.activeElement.classList.contains('reason')")
    row.get_by_role("button", name="Ablehnung senden").click()
    assert reason.get_attribute("aria-invalid") == "true" and posts == []
    page.wait_for_function("() => document.querySelector('#status').textContent.includes('Grund')")
    page.keyboard.press("Escape")
    assert row.locator("textarea.reason").count() == 0
    assert page.evaluate("() => document.activeElement.classList.contains('reject')")

    row.get_by_role("button", name=f"{target} freigeben").click()
    wait_state(page, target, "approved")
    assert row.locator("dd.state").inner_text() == "freigegeben"
    # the button says it is done and keeps the focus
    assert row.get_by_role("button", name=f"{target} freigegeben").get_attribute("aria-disabled") == "true"
    assert page.evaluate("() => document.activeElement.classList.contains('approve')")
    page.wait_for_function("g => document.querySelector('#status').textContent.includes(`${g}: freigegeben`)",
                           arg=target)
    page.wait_for_function("([li, who]) => li.querySelector('.last-review').textContent.includes(who)",
                           arg=[row.element_handle(), REVIEWER])
    browser.shot(page, "approved", full_page=False)

    page.reload()
    page.wait_for_selector("#signs li[data-gloss]")
    page.select_option("#review-filter", "approved")
    row = card(page, target)
    assert row.locator("dd.state").inner_text() == "freigegeben"
    states = page.eval_on_selector_all("#signs li[data-gloss]", "els => [...new Set(els.map(e => e.dataset.state))]")
    assert states == ["approved"], states
    assert page.errors == [], page.errors

    after = httpx.get(f"{service}/v1/lexicon/{target}", timeout=10).json()
    assert state_of(after) == "approved", after
    # reviewing leaves the lexicon version, and so every approved clip, as it was
    assert httpx.get(service + "/v1/lexicon", timeout=10).json()["version"] == signs["version"]
    clip_still_valid(service, cid, glosses)


def test_without_the_recording_routes_the_page_offers_no_upload(service: str, browser: Browser) -> None:
    """The page degrades: a service whose schema has no recording route shows no upload panel, and an
    upload answered 404 by a service without the route hides the panels. Both answers are made up in
    the browser (page.route), so this holds with and without the recording routes."""
    page = browser.new_page()
    page.route("**/openapi.json", lambda route: route.fulfill(status=200, content_type="application/json",
                                                              body='{"openapi": "3.1.0", "paths": {}}'))
    page.goto(service + "/editor/lexikon")
    page.wait_for_selector("#signs li[data-gloss]")
    assert page.locator("details.upload").count() == 0
    page.close()

    page = browser.new_page()
    page.route("**/openapi.json", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body='{"openapi": "3.1.0", "paths": {"/v1/lexicon/{gloss}/recordings": {}}}'))
    page.route("**/v1/lexicon/*/recordings", lambda route: route.fulfill(
        status=404, content_type="application/json", body='{"detail": "Not Found"}'))
    page.goto(service + "/editor/lexikon")
    page.fill("#editor-key", "k")
    page.wait_for_selector("#signs li[data-gloss]")
    row = card(page, "TERMIN")
    row.locator("details.upload summary").click()
    row.get_by_label("Video der gebärdenden Person").set_input_files(
        files=[{"name": "termin.mp4", "mimeType": "video/mp4", "buffer": b"not really a video"}])
    row.get_by_label("Gebärdende Person", exact=True).fill("Alex Beispiel")
    row.get_by_label("Lizenz", exact=True).select_option("CC-BY-4.0")
    row.locator("input.up-consent").check()
    row.get_by_role("button", name="Hochladen", exact=True).click()
    page.wait_for_function("() => document.querySelectorAll('details.upload').length === 0")
    page.wait_for_function("() => document.querySelector('#status').textContent.includes('keine Aufnahmen')")
    page.close()
