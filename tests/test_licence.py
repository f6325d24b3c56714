"""Nothing tracked in git derives from the non-commercial PHOENIX-2014T corpus.

Two checks:
- file patterns (always): no tracked file is a trained model (`*.json.gz`, what `train-gloss` and
  GlossModel.save write) or a corpus file, and .gitignore ignores such paths, so `git add -A` cannot
  pick one up;
- content (when the corpus is at ../shared/data/phoenix14t, else skipped with the reason): no tracked
  text file holds RUN or more consecutive lines that occur verbatim in the corpus's train/dev
  German or gloss files.
And train-gloss refuses to write a model where git would pick it up (signavatar/gloss_model/guard.py).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from signavatar.gloss_model.guard import unignored_work_tree

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "phoenix14t"
CORPUS_FILES = ("train.de", "dev.de", "train.gloss", "dev.gloss")
RUN = 5  # consecutive corpus lines that count as a copy of the corpus
MIN_CHARS = 8  # shorter lines ("REGEN", "}") are too common to count towards a run


def tracked() -> list[str]:
    """The tracked files; skips the test when there is no git or this is not a git checkout."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    done = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.decode(errors='replace').strip()}")
    return [name for name in done.stdout.decode().split("\0") if name]


def corpus_runs(lines: Iterable[str], corpus: set[str], run: int = RUN) -> list[tuple[int, int]]:
    """(first line number, length) of each run of >= `run` consecutive lines found in `corpus`."""
    found: list[tuple[int, int]] = []
    start, length = 0, 0
    for number, line in enumerate([*lines, ""], start=1):
        text = line.strip()
        if len(text) >= MIN_CHARS and text in corpus:
            start, length = (start, length + 1) if length else (number, 1)
            continue
        if length >= run:
            found.append((start, length))
        length = 0
    return found


def test_no_tracked_model_or_corpus_file() -> None:
    names = tracked()
    bad = [n for n in names if n.endswith((".json.gz", ".json.gz.tmp")) or Path(n).name in CORPUS_FILES
           or "phoenix14t/" in n]
    assert bad == [], f"tracked files that are (or look like) a trained model or corpus file: {bad}"


@pytest.mark.parametrize("path", ["var/model.json.gz", "model.json.gz", "models/weather.json.gz",
                                  "shared/data/phoenix14t/train.de"])
def test_models_and_corpora_are_git_ignored(path: str) -> None:
    tracked()  # skips outside a git checkout
    assert unignored_work_tree(REPO / path) is None, f"{path} is not git-ignored: add a rule to .gitignore"


def test_trainer_output_guard(tmp_path: Path) -> None:
    tracked()  # skips outside a git checkout
    assert unignored_work_tree(REPO / "signavatar" / "weather.model") == REPO.resolve()  # would be committed
    assert unignored_work_tree(REPO / "var" / "deep" / "new" / "m.model") is None  # ignored folder
    assert unignored_work_tree(tmp_path / "m.model") is None  # no work tree


def test_corpus_runs_finds_a_copied_run_and_ignores_scattered_lines() -> None:
    corpus = {f"sentence number {i} with some words ." for i in range(10)}
    copied = ["intro line here", *sorted(corpus)[:5], "outro line here"]
    assert corpus_runs(copied, corpus) == [(2, 5)]
    assert corpus_runs(sorted(corpus)[:4], corpus) == []  # 4 in a row: below RUN
    scattered = [x for s in sorted(corpus) for x in (s, "our own line")]
    assert corpus_runs(scattered, corpus) == []
    assert corpus_runs(["REGEN"] * 9, {"REGEN"}) == []  # too short to count


@pytest.mark.optional("the corpus is licensed apart and is not ours to install: a machine may lack it")
def test_no_tracked_file_holds_corpus_sentences() -> None:
    missing = [name for name in CORPUS_FILES if not (CORPUS / name).is_file()]
    if missing:
        pytest.skip(f"content check needs the PHOENIX-2014T corpus at {CORPUS} (missing: {', '.join(missing)}); "
                    "the file-pattern checks above still ran")
    corpus = {line.strip() for name in CORPUS_FILES
              for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if len(line.strip()) >= MIN_CHARS}
    hits = []
    for name in tracked():
        path = REPO / name
        if not path.is_file() or path.stat().st_size > 20_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        runs = corpus_runs(data.decode("utf-8", errors="replace").splitlines(), corpus)
        hits += [f"{name}:{line} ({length} lines)" for line, length in runs]
    assert hits == [], f"tracked files hold runs of PHOENIX-2014T lines (CC BY-NC-SA, must not be committed): {hits}"
