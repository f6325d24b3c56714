"""The snippet's <iframe> shows the whole player page (issue 24): a host page on another loopback
origin pastes embed_html (and, in the second test, embed_script) and a real headless Chromium shows
it. Without the script the snippet's own height must already hold the page at 400 px; with it the
iframe follows the height the page posts (signavatar:height), also where the host makes it narrower.
The app runs under uvicorn with the fake pipeline (layout does not depend on the picture)."""

from __future__ import annotations

import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser, chromium_path, headless_browser  # noqa: E402
from fake_server import EDITOR_AUTH, fake_server, rendered  # noqa: E402

pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[dev])")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (scripts/setup-system.sh)")]

SHORT = "Ich brauche einen Termin."
LONG = ("Ich brauche einen neuen Personalausweis und einen Termin beim Bürgeramt, weil mein alter Ausweis im "
        "nächsten Monat abläuft und ich im Sommer mit meiner Familie nach Italien reisen möchte.")
SIZES = {"1:1": (192, 192), "16:9": (256, 144)}
Page = Any  # playwright.sync_api.Page
#: CSS px the iframe's document scrolls by (> 0: an inner scrollbar)
OVERFLOW = "() => document.documentElement.scrollHeight - document.documentElement.clientHeight"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fake_server(tmp_path_factory.mktemp("embed-height")) as url:
        yield url


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A static web server on another loopback port (another origin): the city's page."""
    root = tmp_path_factory.mktemp("host")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_browser("embed-height") as b:
        yield b


def snippet(url: str, text: str, size: tuple[int, int]) -> dict[str, Any]:
    info = rendered(url, {"text": text, "options": {"width": size[0], "height": size[1], "fps": 10}})
    assert info["status"] == "done", info
    r = httpx.post(f"{url}/v1/clips/{info['id']}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = httpx.get(f"{url}/embed/{info['id']}/snippet").json()
    return body


def host_page(root: Path, name: str, body: dict[str, Any], script: bool, width: str = "auto") -> str:
    (root / name).write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadt</title></head>'
        f'<body style="margin:0"><main style="width:{width}"><h1 style="margin:0;font-size:20px">Bürgeramt</h1>'
        f'{body["embed_html"]}</main>{body["embed_script"] if script else ""}</body></html>', encoding="utf-8")
    return name


def frame_fit(page: Page) -> dict[str, float]:
    """The iframe's height and what its page needs; whether the page scrolls inside it."""
    frame = page.frame_locator("iframe").locator("#player")
    frame.wait_for()
    inner = page.frames[1]
    inner.wait_for_load_state("load")
    return {
        "iframe": page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height"),
        "iframe_w": page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().width"),
        "need": inner.evaluate("() => document.getElementById('player').getBoundingClientRect().height"),
        "overflow": inner.evaluate(OVERFLOW),
    }


@pytest.mark.parametrize("aspect", SIZES)
@pytest.mark.parametrize("text", ["short", "long"])
def test_the_snippets_height_holds_the_page(service: str, host: tuple[str, Path], browser: Browser, aspect: str,
                                            text: str) -> None:
    host_url, root = host
    body = snippet(service, SHORT if text == "short" else LONG, SIZES[aspect])
    page = browser.new_page(width=800, height=1400)
    page.goto(f"{host_url}/{host_page(root, f'plain-{text}-{aspect[:2]}.html', body, script=False)}")
    fit = frame_fit(page)
    assert fit["iframe_w"] == 400 and fit["iframe"] == body["height"]
    assert fit["overflow"] <= 0, fit  # no inner scrollbar: the whole page shows
    assert fit["iframe"] - fit["need"] <= 80, fit  # and not much empty space below it
    browser.shot(page, f"snippet-{text}-{aspect.replace(':', 'x')}")
    print(f"{aspect} {text}: snippet {body['height']} px, page needs {fit['need']:.0f} px")


@pytest.mark.parametrize("width", [320, 400, 640])
def test_the_resize_script_follows_the_page(service: str, host: tuple[str, Path], browser: Browser,
                                            width: int) -> None:
    host_url, root = host
    body = snippet(service, LONG, SIZES["16:9"])
    # the host page's column: the iframe is max-width:100%, so 320 squeezes it; 640 does not widen it
    name = host_page(root, f"script-{width}.html", body, script=True, width=f"{width}px")
    page = browser.new_page(width=800, height=1400)
    page.goto(f"{host_url}/{name}")
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    fit = frame_fit(page)
    page.wait_for_function(
        "need => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - need) < 2", arg=fit["need"])
    fit = frame_fit(page)
    assert fit["iframe_w"] == min(width, 400) and fit["overflow"] <= 0, fit
    assert abs(fit["iframe"] - fit["need"]) < 2, fit
    browser.shot(page, f"script-{width}")
    # a message from another origin, or of another shape, changes nothing
    page.evaluate("() => window.postMessage({type: 'signavatar:height', height: 99}, '*')")
    page.wait_for_timeout(100)
    assert abs(frame_fit(page)["iframe"] - fit["need"]) < 2
    print(f"host column {width}: iframe {fit['iframe_w']:.0f} x {fit['iframe']:.0f} px")
