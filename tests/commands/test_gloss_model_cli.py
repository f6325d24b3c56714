"""`signavatar train-gloss` and `signavatar gloss --model` through a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gloss_model"))
from synthetic_corpus import split  # noqa: E402

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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train-gloss", "--corpus", "{tmp}/nope", "--out", "{tmp}/m"], "does not exist"),
        (["train-gloss", "--corpus", "{tmp}", "--out", "{tmp}/m"], "train.de is missing"),
        (["gloss", "--model", "{tmp}/missing.model", "Hallo"], "does not exist"),
        (["train-gloss", "--corpus", "{tmp}", "--out", "{repo}/signavatar/weather.model"], "not git-ignored"),
    ],
)
def test_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = cli(tmp_path, *[a.format(tmp=tmp_path, repo=REPO) for a in args])
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("signavatar: error:") and message in lines[0], done.stderr
