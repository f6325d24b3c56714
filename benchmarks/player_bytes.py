"""What a page loads for one clip: the 3D player (HTML, scripts, avatar once, motion) against the
video player (HTML, poster, video), measured by Chromium's own network events (CDP
Network.loadingFinished: transfer size on the wire, headers included; Network.dataReceived: the
decoded body). Issue 24's acceptance: a clip's motion <= 25 KB, and the avatar's download reported.

A real `signavatar serve` renders the clips at the default 512x512, 25 fps; an editor approves
them. Each player is opened in a fresh browser context (empty cache) and played to the end (the
video's bytes arrive while it plays); then, in the same context, a second clip shows what every
further clip costs once the avatar and three.js are cached (they are immutable URLs).

usage: .venv/bin/python benchmarks/player_bytes.py
"""

from __future__ import annotations

import platform
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

BUNDLED = (ROOT / "web" / "dist" / "three-player.min.js").is_file()
THREE_FORM = {True: "the minified bundle of the parts the player uses (web/dist/, built by scripts/setup.sh)",
              False: "three.js's own files (no bundle built)"}
#: the clip measured (~5 s) and the second one a page shows with a warm cache
SENTENCE = "Ich brauche einen neuen Personalausweis."  # 4.6 s
SECOND = "Ich heiße Meier und brauche einen Termin."  # 6.0 s, fingerspelling


@dataclass
class Loaded:
    """The requests of one page view: url -> [transfer bytes, decoded body bytes, from cache]."""

    requests: dict[str, list[Any]] = field(default_factory=dict)
    first_frame_ms: float = 0.0  # from navigation start to the first frame shown

    def kind(self, url: str) -> str:
        path = url.split("?")[0]
        for key, name in (("/embed/", "HTML"), ("/player/vendor/", "three.js"),
                          ("/player/static/three-player", "three.js"), ("/player/static/", "player.js"),
                          ("/v1/avatar/", "avatar .glb"), ("/v1/avatar", "avatar JSON"),
                          ("motion.glb", "motion .glb"), ("subtitles.vtt", "captions .vtt"),
                          ("/poster", "poster"), ("/video", "video")):
            if key in path:
                return name
        return "other"

    def by_kind(self) -> dict[str, tuple[int, int, int]]:
        """kind -> (requests, transfer bytes, decoded bytes), network only (cache hits left out)."""
        out: dict[str, tuple[int, int, int]] = {}
        for url, (transfer, decoded, cached) in self.requests.items():
            if cached:
                continue
            if transfer == 0 and decoded > 0:
                # Chromium's media loader reports no encoded length; the video is not compressed
                # in transfer (its own codec is), so its body is what came over the wire
                transfer = decoded
            n, t, d = out.get(self.kind(url), (0, 0, 0))
            out[self.kind(url)] = (n + 1, t + int(transfer), d + int(decoded))
        return out


def watch(page: Any) -> Loaded:
    """Record the page's network traffic through a CDP session. Transfer: Network.loadingFinished's
    encodedDataLength, or (a media request Chromium leaves open) the sum of its chunks' encoded
    lengths; a response from the memory or disk cache counts as cached."""
    loaded, urls = Loaded(), {}
    chunks: dict[str, int] = {}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def entry(request_id: str) -> list[Any] | None:
        url = urls.get(request_id)
        return None if url is None else loaded.requests[url + "#" + request_id]

    def response(e: dict[str, Any]) -> None:
        if e["response"]["url"].startswith("data:"):  # the native video controls' icons
            return
        urls[e["requestId"]] = e["response"]["url"]
        from_cache = bool(e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"))
        loaded.requests.setdefault(e["response"]["url"] + "#" + e["requestId"], [0, 0, from_cache])

    def data(e: dict[str, Any]) -> None:
        found = entry(e["requestId"])
        if found is not None:
            found[1] += e["dataLength"]
            chunks[e["requestId"]] = chunks.get(e["requestId"], 0) + e.get("encodedDataLength", 0)
            found[0] = max(found[0], chunks[e["requestId"]])

    def finished(e: dict[str, Any]) -> None:
        found = entry(e["requestId"])
        if found is not None:
            found[0] = max(found[0], e["encodedDataLength"])

    def cached(e: dict[str, Any]) -> None:
        found = entry(e["requestId"])
        if found is not None:
            found[2] = True

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.dataReceived", data)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", cached)
    return loaded


def view(context: Any, url: str, player: str) -> Loaded:
    """Open the clip's page with `player` and play it to its end; what came over the network."""
    page = context.new_page()
    loaded = watch(page)
    page.goto(url + f"?player={player}")
    if player == "3d":
        mode, loaded.first_frame_ms = page.evaluate(
            "() => window.signavatarPlayer.ready.then((m) => [m, performance.now()])")
        if mode != "3d":
            raise RuntimeError(f"the 3D player fell back: {page.inner_text('#note')}")
        page.evaluate("() => { const p = window.signavatarPlayer; p.setSpeed(1.5); p.seek(0); p.play(); }")
        page.wait_for_function("() => !window.signavatarPlayer.playing()", timeout=60_000)
    else:
        loaded.first_frame_ms = page.evaluate("""() => new Promise((resolve) => {
            const v = document.querySelector('video');
            if (v.readyState >= 2) { resolve(performance.now()); return; }
            v.addEventListener('loadeddata', () => resolve(performance.now()), { once: true });
        })""")
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.playbackRate = 2; "
                      "return v.play(); }")
        page.wait_for_function("() => document.querySelector('video').ended", timeout=60_000)
    page.wait_for_timeout(300)
    page.close()
    return loaded


def run() -> tuple[dict[str, dict[str, tuple[int, int, int]]], float]:
    import httpx
    from player_match import render_clip

    from browser import SOFTWARE_WEBGL, headless_browser
    from real_server import real_service

    results: dict[str, dict[str, tuple[int, int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="player-bytes-") as tmp, real_service(Path(tmp)) as url, \
            headless_browser("player-bytes", args=SOFTWARE_WEBGL) as browser:
        first = render_clip(url, SENTENCE, 512, 512)
        second = render_clip(url, SECOND, 512, 512)
        duration = float(first["duration"])
        for player in ("3d", "video"):
            context = browser.browser.new_context(viewport={"width": 560, "height": 900})  # type: ignore[attr-defined]
            for name, made in ((f"{player}, first clip", first), (f"{player}, next clip", second)):
                loaded = view(context, f"{url}/embed/{made['clip_id']}", player)
                results[name] = loaded.by_kind()
                results[name]["first frame, ms"] = (0, round(loaded.first_frame_ms), 0)
            context.close()
        # the files themselves, as stored
        for name in ("motion.glb", "video"):
            r = httpx.get(f"{url}/v1/clips/{first['clip_id']}/{name}", timeout=30)
            results.setdefault("files", {})[name] = (1, len(r.content), len(r.content))
    return results, duration


def report(results: dict[str, dict[str, tuple[int, int, int]]], duration: float) -> str:
    kinds = ["HTML", "player.js", "three.js", "avatar JSON", "avatar .glb", "motion .glb", "captions .vtt",
             "poster", "video", "other"]
    lines = [
        f"## Issue 24: bytes a page loads, 3D player vs video — `benchmarks/player_bytes.py` — {date.today()}, "
        f"{platform.machine()} CPU dev box",
        "",
        f"three.js: {THREE_FORM[BUNDLED]}. "
        f"One clip of {duration:.2f} s (\"{SENTENCE}\", 512x512, 25 fps), opened in headless Chromium with an empty "
        "cache and played to the end; then a second clip in the same browser (cache warm). Bytes as Chromium's "
        "network events count them: transfer = on the wire (gzip where the server compresses, headers "
        "included), decoded = the bodies; cache hits not counted.",
        "",
        "| view | " + " | ".join(kinds) + " | total | first frame, ms |",
        "| --- | " + " | ".join("---" for _ in kinds) + " | --- | --- |",
    ]
    for name, row in results.items():
        if name == "files":
            continue
        cells = []
        for k in kinds:
            n, t, d = row.get(k, (0, 0, 0))
            cells.append("–" if n == 0 else f"{t / 1000:.1f} / {d / 1000:.1f}")
        sizes = [v for k, v in row.items() if k in kinds]
        total_t, total_d = sum(v[1] for v in sizes), sum(v[2] for v in sizes)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | **{total_t / 1000:.1f}** / {total_d / 1000:.1f} | "
                     f"{row['first frame, ms'][1]} |")
    files = results.get("files", {})
    lines += ["", "Cells: transfer / decoded, kB (1000 bytes). First frame: from navigation start to the 3D player's "
              "first drawn frame (its `ready`), or the video's `loadeddata`; loopback, software WebGL, 2 shared "
              "cores. Stored files of the first clip: "
              + ", ".join(f"{k} {v[1] / 1000:.1f} kB" for k, v in files.items()) + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    results, duration = run()
    print(report(results, duration))


if __name__ == "__main__":
    main()
