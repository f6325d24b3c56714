"""Every figure we publish names the benchmark that produces it (docs/MEASURING.md).

README.md: a paragraph (or table) that states a measured figure - a percentage, an angle, frames
per second, a BLEU score, seconds per gloss, a count like "24 of 30", a speed-up "2.7x", a p99 -
points to the benchmark script or to BENCHMARKS.md in the same paragraph. BENCHMARKS.md: every
section names its script, and the script exists. docs/MEASURING.md's table of published figures
names an existing benchmark and an existing guarding test for each.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|°|fps\b|s per gloss)"  # 80 %, 12.8°, 30 fps, 0.79 s per gloss
    r"|\bBLEU\b|\bp99\b"
    r"|\b\d+\s?(?:of|/)\s?\d+\b(?![.,/]\d)"  # 24 of 30, 23/30 (not a date or a fraction 1/2.5)
    r"|\b\d+(?:\.\d+)?x\b"  # 2.7x
)
#: figures in README that are settings or requirements, not measurements: what they are
NOT_MEASURED = {
    "well in 30 %": "the capture's threshold for a 'check it' line",
    "200 %": "the browser zoom the editor must support",
    "at most 75 %": "the share of the file limit the server may use for connections",
}
SOURCE = re.compile(r"benchmarks/[\w-]+\.py|BENCHMARKS\.md")
SCRIPT = re.compile(r"benchmarks/([\w-]+\.py)")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each paragraph outside code blocks; a table is one paragraph."""
    out: list[tuple[int, str]] = []
    lines: list[str] = []
    start, code = 0, False
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            code = not code
            continue
        if code:
            continue
        if line.strip():
            start = start or n
            lines.append(line)
        elif lines:
            out.append((start, "\n".join(lines)))
            lines, start = [], 0
    if lines:
        out.append((start, "\n".join(lines)))
    return out


def unsourced(text: str) -> list[str]:
    found = []
    for n, p in paragraphs(text):
        p = re.sub(r"\s+", " ", p)
        for phrase in NOT_MEASURED:
            p = p.replace(phrase, "")
        if FIGURE.search(p) and not SOURCE.search(p):
            found.append(f"line {n}: {p[:160]!r}")
    return found


def test_every_readme_figure_names_its_benchmark() -> None:
    assert unsourced((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_the_check_finds_an_unsourced_figure() -> None:
    assert unsourced("The avatar reads 29 of 30 letters.\n\nFast: 60 fps (benchmarks/render_speed.py).") == [
        "line 1: 'The avatar reads 29 of 30 letters.'"
    ]


def test_every_benchmarks_section_names_an_existing_script() -> None:
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    missing = [s.splitlines()[0] for s in sections if not SCRIPT.search(s)]
    assert missing == [], "sections without their benchmark script"
    named = {m for s in sections for m in SCRIPT.findall(s)}
    assert sorted(n for n in named if not (ROOT / "benchmarks" / n).is_file()) == []


def test_measuring_md_lists_a_benchmark_and_a_guard_for_each_published_figure() -> None:
    text = (ROOT / "docs" / "MEASURING.md").read_text(encoding="utf-8")
    section = text.split("## Published figures and their guards", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| ") and "benchmarks/" in line]
    assert len(table) >= 5
    for row in table:
        paths = re.findall(r"`((?:benchmarks|tests)/[\w/.-]+\.py)`", row)
        assert any(p.startswith("benchmarks/") for p in paths), row
        assert any(p.startswith("tests/") for p in paths), row
        assert [p for p in paths if not (ROOT / p).is_file()] == [], row
