"""A headless system Chromium driven by Playwright for the browser tests and benchmarks.

Playwright only talks to the browser (CDP); the browser is Debian's `chromium` package
(scripts/setup-system.sh), launched by path, so nothing is downloaded at run time. Screenshots go to
tests/artifacts/<name>/ (git-ignored) so a person can look at them after a run."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"

__all__ = ["ARTIFACTS", "SOFTWARE_WEBGL", "Browser", "chromium_path", "headless_browser"]

#: WebGL 2 on the CPU (ANGLE on SwiftShader) for the 3D player's tests; recent Chromium no longer
#: falls back to SwiftShader by itself without --enable-unsafe-swiftshader.
SOFTWARE_WEBGL = ("--use-angle=swiftshader", "--enable-unsafe-swiftshader")


def chromium_path() -> str | None:
    """The system Chromium (SIGNAVATAR_CHROMIUM overrides), or None when it is not installed."""
    explicit = os.environ.get("SIGNAVATAR_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Browser:
    """A running headless Chromium and where its screenshots go."""

    browser: object  # playwright.sync_api.Browser (imported lazily: optional dependency)
    shots: Path
    taken: list[Path] = field(default_factory=list)
    _contexts: list[object] = field(default_factory=list)

    def new_page(self, width: int = 1280, height: int = 900, zoom: float = 1.0):  # type: ignore[no-untyped-def]
        """A page in a fresh profile (empty sessionStorage) like a window of width x height device
        pixels at browser zoom `zoom`: zoom=2 is 200 % (CSS viewport halved, 2 device px per CSS px).
        Returns a playwright.sync_api.Page."""
        context = self.browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": round(width / zoom), "height": round(height / zoom)},
            device_scale_factor=zoom, locale="de-DE")
        self._contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def shot(self, page: object, name: str, full_page: bool = True) -> Path:
        """Save a PNG screenshot of page as <shots>/<NN>-<name>.png and return its path."""
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
        path = self.shots / f"{len(self.taken) + 1:02d}-{safe}.png"
        if not full_page:
            page.screenshot(path=str(path))  # type: ignore[attr-defined]
        else:
            # Playwright's full_page capture leaves Chromium 156 with clicks that miss their element
            # afterwards; a viewport as tall as the page, put back after, does not.
            size = page.viewport_size  # type: ignore[attr-defined]
            height = page.evaluate("() => document.documentElement.scrollHeight")  # type: ignore[attr-defined]
            page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})  # type: ignore[attr-defined]
            try:
                page.screenshot(path=str(path))  # type: ignore[attr-defined]
            finally:
                page.set_viewport_size(size)  # type: ignore[attr-defined]
        self.taken.append(path)
        return path

    def close(self) -> None:
        for context in self._contexts:
            context.close()  # type: ignore[attr-defined]
        self._contexts.clear()


@contextmanager
def headless_browser(name: str, args: Sequence[str] = ()) -> Iterator[Browser]:
    """Start headless Chromium (with more command-line `args`, e.g. SOFTWARE_WEBGL), yield a Browser
    whose screenshots go to tests/artifacts/<name>/ (emptied first), close it afterwards."""
    from playwright.sync_api import sync_playwright  # optional dev dependency: fail only when used

    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError("chromium not found: install Debian's chromium (scripts/setup-system.sh)")
    shots = ARTIFACTS / name
    if shots.exists():
        shutil.rmtree(shots)
    shots.mkdir(parents=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--mute-audio", "--autoplay-policy=no-user-gesture-required", *args],
        )
        handle = Browser(browser=browser, shots=shots)
        try:
            yield handle
        finally:
            handle.close()
            browser.close()
