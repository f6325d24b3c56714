"""Editor preview latency: edit -> first skeleton-preview frame shown, in a real headless Chromium
(Debian's package through Playwright, tests/browser.py) against a real `signavatar serve`.

The editor is given a sentence of 10 glosses; then each repetition moves one chip (`.chip-right`,
walking the first gloss to the end, so every edit asks for a sequence not asked before) and waits
until the preview canvas has drawn frames again. Two numbers per edit (ms):

  page   the page's own `data-preview-ms` on #preview (edit handler -> first frame drawn)
  outer  from the automation: the click sent -> `data-frames-shown` > 0 seen (includes the
         CDP round trips and polling, so an upper bound of what a person sees)

Baseline in the same run: `POST /v1/preview` for the same glosses from Python (httpx, keep-alive),
i.e. the server's part alone. Target: median and p90 of the edit latency <= 1000 ms.

usage: .venv/bin/python benchmarks/preview_latency.py [--repetitions 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import headless_browser  # noqa: E402
from real_server import AUTH, TEST_API_KEY, serve_process  # noqa: E402

# 10 glosses, all from the lexicon: HEUTE BÜRGERAMT ICH TERMIN HABEN ICH DORT NEU PERSONALAUSWEIS BRAUCHEN
SENTENCE = "Heute habe ich einen Termin beim Bürgeramt, ich brauche dort einen neuen Personalausweis."
TARGET_MS = 1000.0
CHIPS_JS = "() => [...document.querySelectorAll('#chips li.chip')].map(e => e.dataset.gloss)"
CLEAR_JS = "c => { delete c.dataset.framesShown; delete c.dataset.previewMs; }"
# data-preview-ms is set only with a new preview's first frame; data-frames-shown alone keeps counting
# the previous preview's loop until the new one arrives
SHOWN_JS = ("() => { const c = document.querySelector('#preview');"
            " return c.dataset.previewMs !== undefined && Number(c.dataset.framesShown) > 0; }")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "p90": round(percentile(values, 90), 1),
            "min": round(min(values), 1), "max": round(max(values), 1)}


def timed_edit(page: Any, selector: str) -> tuple[float, float]:
    """Click selector after clearing the preview's marks; (page ms, outer ms) until frames are shown."""
    page.eval_on_selector("#preview", CLEAR_JS)
    start = time.perf_counter()
    page.click(selector)
    page.wait_for_function(SHOWN_JS, polling="raf")
    outer = (time.perf_counter() - start) * 1000
    return float(page.get_attribute("#preview", "data-preview-ms") or "nan"), outer


def measure(url: str, repetitions: int) -> dict[str, Any]:
    with headless_browser("preview-latency") as browser:
        page = browser.new_page()
        page.goto(url + "/editor")
        page.fill("#api-key", TEST_API_KEY)
        page.press("#api-key", "Tab")
        page.fill("#text", SENTENCE)
        first = timed_edit(page, "#analyse")  # text -> glosses -> preview (includes /v1/gloss)
        glosses: list[str] = page.evaluate(CHIPS_JS)
        if len(glosses) != 10:
            raise RuntimeError(f"expected 10 glosses for the benchmark sentence, the editor shows {glosses}")
        page_ms: list[float] = []
        outer_ms: list[float] = []
        for i in range(repetitions):
            # move the gloss at position i % 9 one to the right: the sequence rotates, edits differ
            got = timed_edit(page, f"#chips li.chip:nth-child({i % 9 + 1}) .chip-right")
            page_ms.append(got[0])
            outer_ms.append(got[1])
        browser.shot(page, "after-edits")
        final: list[str] = page.evaluate(CHIPS_JS)
    api_ms = []
    with httpx.Client(base_url=url, headers=AUTH, timeout=30) as client:
        for i in range(repetitions):
            seq = final[i % 10:] + final[:i % 10]
            start = time.perf_counter()
            client.post("/v1/preview", json={"glosses": " ".join(seq)}).raise_for_status()
            api_ms.append((time.perf_counter() - start) * 1000)
    return {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "glosses": len(glosses), "repetitions": repetitions,
        "analyse_ms": {"page": round(first[0], 1), "outer": round(first[1], 1)},
        "edit_page_ms": summary(page_ms), "edit_outer_ms": summary(outer_ms), "api_preview_ms": summary(api_ms),
        "target_ms": TARGET_MS,
        "met": percentile(outer_ms, 90) <= TARGET_MS and percentile(page_ms, 90) <= TARGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="preview-latency-") as tmp, \
            serve_process(Path(tmp), {"SIGNAVATAR_API_KEY": TEST_API_KEY}) as service:
        result = measure(service.url, args.repetitions)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    e, o, a = result["edit_page_ms"], result["edit_outer_ms"], result["api_preview_ms"]
    print(f"| {result['date']} | {result['machine']} | {e['median']} / {e['p90']} | {o['median']} / {o['p90']} "
          f"| {a['median']} / {a['p90']} | {o['median'] / a['median']:.1f} |", file=sys.stderr)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
