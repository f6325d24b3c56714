"""`signavatar train-gloss` and `signavatar gloss --model` through a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gloss_model"))
from synthetic_corpus import split  # noqa: E402

from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TRAIN, HELD_OUT = split(240)


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SIGNAVATAR_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "signavatar.cli", *args], cwd=REPO, env=env, input=stdin,
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "train.de").write_text("".join(de + "\n" for de, _ in TRAIN), encoding="utf-8")
    (folder / "train.gloss").write_text("".join(gl + "\n" for _, gl in TRAIN), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("models") / "weather.model"
    done = cli(tmp_path_factory.mktemp("data"), "train-gloss", "--corpus", str(corpus), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"model: {out} (240 pairs, trained in ")
    assert "weights tuned on 20 held-out pairs, BLEU-4 " in done.stdout  # tuned by default
    assert "read 240 sentence pairs" in done.stderr and "trained in" in done.stderr  # progress with times
    assert "tuning 9 weights on 20 held-out pairs" in done.stderr and "] tuned in " in done.stderr
    return out


def test_train_without_tuning(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "generic.model"
    done = cli(tmp_path, "train-gloss", "--corpus", str(corpus), "--out", str(out), "--no-tune")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("generic weights)") and "tuning" not in done.stderr
    de, gl = HELD_OUT[0]
    assert cli(tmp_path, "gloss", "--model", str(out), de).stdout == gl + "\n"


def test_gloss_with_model(model_path: Path, tmp_path: Path) -> None:
    de, gl = HELD_OUT[0]
    done = cli(tmp_path, "gloss", "--model", str(model_path), de)
    assert done.returncode == 0 and done.stdout == gl + "\n", done.stderr


def test_gloss_with_model_from_stdin_one_line_per_input(model_path: Path, tmp_path: Path) -> None:
    sentences = [de for de, _ in HELD_OUT[:5]]
    stdin = "\n".join(sentences[:2]) + "\n\n" + "\n".join(sentences[2:]) + "\n"
    done = cli(tmp_path, "gloss", "--model", str(model_path), "-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 6 and lines[2] == ""
    right = [a == b for a, b in zip(lines[:2] + lines[3:], [gl for _, gl in HELD_OUT[:5]])]
    assert sum(right) >= 4


def test_approved_glosses_come_before_the_model(model_path: Path, tmp_path: Path) -> None:
    de = HELD_OUT[1][0]
    assert cli(tmp_path, "memory", "approve", de, "TERMIN", "--editor", "anna").returncode == 0
    assert cli(tmp_path, "gloss", "--model", str(model_path), de).stdout == "TERMIN\n"


# Two approved translations with a word the corpus never has ("hagel"): the city's own glosses.
APPROVED = [("Am Montag gibt es im Norden Hagel.", "MONTAG NORD HAGEL"),
            ("Im Osten gibt es am Freitag viel Hagel.", "FREITAG OST HAGEL{hagel} VIEL")]
NEW = "am dienstag gibt es im süden hagel ."  # not in the memory, not even a fuzzy match of it


def approve_all(data: Path) -> None:
    """The approvals in the data dir's memory file, written by the store itself (the `memory approve`
    command would refuse NORD and HAGEL: the real lexicon has no such signs, the corpus's glosses do)."""
    memory = TranslationMemory(data / MEMORY_FILENAME)
    for text, glosses in APPROVED:
        memory.approve(text, glosses, "anna")


def test_train_with_the_translation_memory(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    approve_all(data)
    out = tmp_path / "city.model"
    done = cli(data, "train-gloss", "--corpus", str(corpus), "--memory", "--out", str(out), "--no-tune")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"model: {out} (250 pairs, 2 of them from the translation memory (x5), trained in ")
    assert (f"read 2 approved translations from the translation memory {data / MEMORY_FILENAME}, each added 5 times"
            in done.stderr)
    elsewhere = tmp_path / "elsewhere"  # no memory there: what answers is the model
    explained = cli(elsewhere, "gloss", "--model", str(out), "--explain", NEW)
    assert explained.returncode == 0, explained.stderr
    lines = explained.stdout.splitlines()
    assert lines[0].startswith("Quelle: statistisches Modell"), explained.stdout
    assert "Glossen: DIENSTAG SUED HAGEL" in lines and "hagel -> HAGEL (" in lines[1]  # no mouthing learnt
    # trained on the corpus alone, the model does not know "hagel": the rules answer, and say why
    plain = tmp_path / "plain.model"
    assert cli(elsewhere, "train-gloss", "--corpus", str(corpus), "--out", str(plain), "--no-tune").returncode == 0
    ruled = cli(elsewhere, "gloss", "--model", str(plain), "--explain", NEW).stdout.splitlines()
    assert ruled[0] == "Quelle: Regeln (statistisches Modell nicht verwendet: Sicherheit 75 % unter der Schwelle 100 %)"
    assert "hagel -> dem Modell unbekannt" in ruled[1]
    lowered = cli(elsewhere, "gloss", "--model", str(plain), "--min-confidence", "0.7", NEW)
    assert lowered.returncode == 0 and lowered.stdout == "DIENSTAG SUED\n", lowered.stderr  # the model drops hagel


def test_train_from_a_memory_file_alone_with_its_weight(tmp_path: Path) -> None:
    data = tmp_path / "data"
    approve_all(data)
    out = tmp_path / "memory.model"
    done = cli(tmp_path / "other", "train-gloss", "--memory", str(data / MEMORY_FILENAME), "--memory-weight", "2",
               "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"model: {out} (4 pairs, 2 of them from the translation memory (x2), trained in ")
    assert "read sentence pairs" not in done.stderr and "each added 2 times" in done.stderr
    assert cli(tmp_path / "other", "gloss", "--model", str(out), APPROVED[0][0].lower()).stdout == "MONTAG NORD HAGEL\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train-gloss", "--corpus", "{tmp}/nope", "--out", "{tmp}/m"], "does not exist"),
        (["train-gloss", "--corpus", "{tmp}", "--out", "{tmp}/m"], "train.de is missing"),
        (["gloss", "--model", "{tmp}/missing.model", "Hallo"], "does not exist"),
        (["train-gloss", "--corpus", "{tmp}", "--out", "{repo}/signavatar/weather.model"], "not git-ignored"),
        (["train-gloss", "--out", "{tmp}/m"], "give --corpus DIR, --memory, or both"),
        (["train-gloss", "--memory", "--out", "{tmp}/m"], "no translation memory at {tmp}/translation_memory.sqlite"),
        (["train-gloss", "--memory", "{tmp}/nope.sqlite", "--out", "{tmp}/m"], "no translation memory at"),
        (["train-gloss", "--memory", "--memory-weight", "0", "--out", "{tmp}/m"], "--memory-weight must be at least 1"),
        (["gloss", "--min-confidence", "1.5", "Hallo"], "a share from 0 to 1"),
    ],
)
def test_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = cli(tmp_path, *[a.format(tmp=tmp_path, repo=REPO) for a in args])
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    message = message.format(tmp=tmp_path)
    assert len(lines) == 1 and lines[0].startswith("signavatar: error:") and message in lines[0], done.stderr
