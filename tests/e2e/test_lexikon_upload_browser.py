"""Issue 23 points 3 and 4 on /editor/lexikon that need the review and recording routes (API23.md:
the overlay's review actions, used_in and revisions; the upload helper's recordings), in a real
headless Chromium against a real `signavatar serve` on a copy of glosses/:

- a reviewer rejects a sign with a reason and proposes a fix for another; both stay after a reload,
  the lexicon version does not change and an approved clip using the sign stays valid;
- a sign's card lists the approved clips that use it;
- a reviewer uploads a short video of a signer (the avatar's own clip of the sign, as the capture
  round trip uses), sees it beside the avatar's preview, and saves it as a new revision with the
  signer's consent and licence; the sign starts unreviewed again and plays its new motion.

Screenshots go to tests/artifacts/lexikon-upload-browser/."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser, chromium_path, headless_browser  # noqa: E402
from fake_server import rendered  # noqa: E402
from lexikon_page import (  # noqa: E402
    REVIEWER,
    approved_clip,
    card,
    clip_still_valid,
    lexicon_service,
    open_lexikon,
    wait_state,
)
from real_server import EDITOR_AUTH  # noqa: E402

playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[dev])")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (scripts/setup-system.sh)")]

RECORDED = "DANKE"  # a sign the capture round trip reads back well (tests/capture/test_capture_roundtrip.py)
SIGNER = "Alex Beispiel"
LICENCE = "CC-BY-4.0"  # offered by the page as "CC BY 4.0"
READY = "v => v.readyState >= 2 && v.duration > 0"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with lexicon_service(tmp_path_factory.mktemp("lexikon-upload-service")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_browser("lexikon-upload-browser") as b:
        yield b


def unreviewed(url: str, skip: tuple[str, ...] = ()) -> list[str]:
    signs = httpx.get(url + "/v1/lexicon", timeout=10).json()["signs"]
    return [s["gloss"] for s in signs if s["kind"] == "lexical" and s["review"]["state"] == "unreviewed"
            and s["gloss"] not in (RECORDED, "TERMIN", *skip)]


def test_reject_with_a_reason_and_propose_a_fix(service: str, browser: Browser) -> None:
    rejected, proposed = unreviewed(service)[:2]
    version = httpx.get(service + "/v1/lexicon", timeout=10).json()["version"]
    cid = approved_clip(service, f"ICH {rejected}")
    page = open_lexikon(browser, service)

    row = card(page, rejected)
    row.get_by_role("button", name=f"{rejected} ablehnen").click()
    row.locator("textarea.reason").fill("Die Handform ist falsch: flache Hand statt Faust.")
    row.get_by_role("button", name="Ablehnung senden").click()
    wait_state(page, rejected, "rejected")
    assert row.locator("dd.state").inner_text() == "abgelehnt"
    page.wait_for_function("li => li.querySelector('.last-review').textContent.includes('Faust')",
                           arg=row.element_handle())
    assert page.evaluate("() => document.activeElement.classList.contains('reject')")  # back on its opener

    row = card(page, proposed)
    row.get_by_role("button", name=f"Korrektur für {proposed} vorschlagen").click()
    row.locator("textarea.proposal").fill("Die Bewegung zweimal, nicht einmal.")
    row.get_by_role("button", name="Vorschlag senden").click()
    wait_state(page, proposed, "proposed")
    assert row.locator("dd.state").inner_text() == "Korrektur vorgeschlagen"
    browser.shot(page, "proposed", full_page=False)

    page.reload()
    page.wait_for_selector("#signs li[data-gloss]")
    page.select_option("#review-filter", "rejected")
    assert card(page, rejected).locator("dd.state").inner_text() == "abgelehnt"
    page.select_option("#review-filter", "proposed")
    assert card(page, proposed).locator("dd.state").inner_text() == "Korrektur vorgeschlagen"
    assert page.errors == [], page.errors

    sign = httpx.get(f"{service}/v1/lexicon/{rejected}", headers=EDITOR_AUTH, timeout=10).json()
    assert sign["review"]["state"] == "rejected" and sign["reviewed"] is False, sign["review"]
    # the review log keeps the reviewer's words (the entry's field names are the overlay's)
    last = sign["reviews"][-1]
    assert "Die Handform ist falsch: flache Hand statt Faust." in last.values() and REVIEWER in last.values(), last
    fix = httpx.get(f"{service}/v1/lexicon/{proposed}", headers=EDITOR_AUTH, timeout=10).json()
    assert fix["review"]["state"] == "proposed" and "Die Bewegung zweimal, nicht einmal." in fix["reviews"][-1].values()
    assert httpx.get(service + "/v1/lexicon", timeout=10).json()["version"] == version
    clip_still_valid(service, cid, f"ICH {rejected}")


def test_a_card_lists_the_approved_clips_that_use_the_sign(service: str, browser: Browser) -> None:
    gloss = unreviewed(service)[0]
    cid = approved_clip(service, f"{gloss} ICH")
    page = open_lexikon(browser, service)
    row = card(page, gloss)
    link = row.locator(f".used-in a[href='/embed/{cid}']")
    link.wait_for()
    assert gloss in link.inner_text() or gloss in row.locator(".used-in").inner_text()
    assert page.errors == [], page.errors


def test_upload_a_recording_preview_it_and_save_it_as_a_revision(
        service: str, browser: Browser, tmp_path: Path) -> None:
    # the "signer": the avatar's own clip of the sign, at the size the capture round trip reads
    info = rendered(service, {"glosses": RECORDED, "options": {"width": 256, "height": 256}}, timeout=120, poll=0.3)
    assert info["status"] == "done", info
    video = tmp_path / "signer.mp4"
    video.write_bytes(httpx.get(service + info["urls"]["video"], timeout=30).content)
    cid = approved_clip(service, f"ICH {RECORDED}")
    before = httpx.get(f"{service}/v1/lexicon/{RECORDED}", timeout=10).json()

    page = open_lexikon(browser, service)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    row = card(page, RECORDED)
    row.locator("details.upload summary").click()
    row.get_by_label("Video der gebärdenden Person").set_input_files(str(video))
    row.get_by_label("Gebärdende Person", exact=True).fill(SIGNER)
    row.get_by_label("Lizenz", exact=True).select_option(LICENCE)
    # no consent: the page refuses and sends nothing
    row.get_by_role("button", name="Hochladen", exact=True).click()
    assert "Einwilligung" in row.locator(".up-status").inner_text() and posts == []
    assert row.locator("input.up-consent").get_attribute("aria-invalid") == "true"

    row.locator("input.up-consent").check()
    row.get_by_role("button", name="Hochladen", exact=True).click()
    row.locator(".up-result:not([hidden])").wait_for(timeout=180_000)
    for cls in ("up-video", "up-preview"):
        page.wait_for_function(READY, arg=row.locator(f"video.{cls}").element_handle(), timeout=60_000)
    browser.shot(page, "recording-beside-avatar", full_page=False)

    row.get_by_role("button", name="Als neue Version speichern").click()
    page.wait_for_function("() => document.querySelector('#status').textContent.includes('als Version')")
    status = page.inner_text("#status")
    sign = httpx.get(f"{service}/v1/lexicon/{RECORDED}", headers=EDITOR_AUTH, timeout=10).json()
    assert f"Version {sign['revision']}" in status and sign["revision"] == before["revision"] + 1, (status, sign)
    assert sign["source"] == "recorded" and sign["review"]["state"] == "unreviewed"
    assert sign["form"] != before["form"]
    last = sign["revisions"][-1]
    assert last["editor"] == REVIEWER and last["consent"]["signer"] == SIGNER, last
    assert last["consent"]["licence"] == LICENCE and last["consent"]["consent"] is True, last

    # the card now shows the new revision, unreviewed, and plays its new motion
    wait_state(page, RECORDED, "unreviewed")
    row = page.locator(f"#signs li[data-gloss='{RECORDED}']")
    assert f"Version {sign['revision']}" in row.locator("dd.source").inner_text()
    row.locator("button.play").click()
    page.wait_for_function(READY, arg=row.locator("video.sign-clip").element_handle(), timeout=60_000)
    browser.shot(page, "saved-revision", full_page=False)
    assert page.errors == [], page.errors

    # the approved clip made before the revision is still approved and served as it was
    status_now = httpx.get(f"{service}/v1/clips/{cid}", timeout=10).json()
    assert status_now["review_state"] == "approved", status_now
    embed = httpx.get(f"{service}/embed/{cid}", timeout=10)
    assert embed.status_code == 200 and "<video" in embed.text
    assert httpx.get(service + status_now["urls"]["video"], timeout=30).status_code == 200
