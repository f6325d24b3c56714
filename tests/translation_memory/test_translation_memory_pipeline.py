"""The memory wired in: Pipeline.translate and the `memory` / `gloss` commands through a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory

REPO = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SIGNAVATAR_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "signavatar.cli", *args], cwd=REPO, env=env, input=stdin,
        capture_output=True, text=True, timeout=60,
    )


def test_pipeline_prefers_approved_glosses(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(data_dir=tmp_path))
    rules = pipeline.translate("Brauchen Sie einen Termin?")
    TranslationMemory(tmp_path / MEMORY_FILENAME).approve("Brauchen Sie einen Termin?", "TERMIN BRAUCHEN fs-SIE",
                                                          "anna")
    seq = pipeline.translate("brauchen sie  einen Termin?")
    assert str(seq) == "TERMIN BRAUCHEN fs-SIE"
    assert [t.kind for t in seq.tokens] == ["lexicon", "lexicon", "fingerspell"]
    assert seq.sentence_type == rules.sentence_type == "question-yn"
    assert seq.warnings and seq.warnings[0].startswith("aus dem Übersetzungsgedächtnis (freigegeben am ")
    assert "anna" not in seq.warnings[0]  # the note reaches public callers: who approved is for editors
    by_gloss = {t.gloss: t.nonmanual for t in rules.tokens}
    assert seq.tokens[0].nonmanual == by_gloss["TERMIN"]  # face markers of the rules kept


def test_stale_entry_falls_back_to_the_rules(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(data_dir=tmp_path))
    TranslationMemory(tmp_path / MEMORY_FILENAME).approve("Ich brauche einen Termin.", "TERMIN GIBTESNICHT", "anna")
    seq = pipeline.translate("Ich brauche einen Termin.")
    assert str(seq) == str(Pipeline(Settings(data_dir=tmp_path / "empty")).translate("Ich brauche einen Termin."))
    assert any(w.startswith("Eintrag „Ich brauche einen Termin.“ im Übersetzungsgedächtnis nicht verwendet: ")
               and "GIBTESNICHT" in w for w in seq.warnings), seq.warnings


def test_cli_approve_then_gloss(tmp_path: Path) -> None:
    before = cli(tmp_path, "gloss", "Ich brauche einen neuen Personalausweis.")
    assert before.returncode == 0 and before.stdout.strip() != "PERSONALAUSWEIS NEU ICH BRAUCHEN"
    done = cli(tmp_path, "memory", "approve", "Ich brauche einen neuen Personalausweis.",
               "personalausweis neu ich brauchen", "--editor", "anna", "--comment", "object first")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "approved: Ich brauche einen neuen Personalausweis. -> PERSONALAUSWEIS NEU ICH BRAUCHEN\n"
    assert cli(tmp_path, "gloss", "ich brauche einen neuen Personalausweis").stdout == (
        "PERSONALAUSWEIS NEU ICH BRAUCHEN\n")
    lines = cli(tmp_path, "gloss", "-",
                stdin="Ich brauche den neuen Personalausweis!\nIch brauche neuen Personalausweis.\n")
    assert lines.stdout.splitlines()[1] == "PERSONALAUSWEIS NEU ICH BRAUCHEN"  # fuzzy
    listed = cli(tmp_path, "memory", "list").stdout.split("\t")
    assert listed[:3] == ["Ich brauche einen neuen Personalausweis.", "PERSONALAUSWEIS NEU ICH BRAUCHEN", "anna"]
    assert listed[4] == "object first\n"
    assert cli(tmp_path, "memory", "remove", "Ich brauche einen neuen Personalausweis").returncode == 0
    assert cli(tmp_path, "gloss", "Ich brauche einen neuen Personalausweis.").stdout == before.stdout


def test_cli_approve_unknown_gloss_is_one_line(tmp_path: Path) -> None:
    done = cli(tmp_path, "memory", "approve", "Ich brauche einen Termin.", "TERMIN GIBTESNICHT", "--editor", "anna")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("signavatar: error: unknown gloss 'GIBTESNICHT'"), done.stderr
    assert cli(tmp_path, "memory", "list").stdout == ""


def test_cli_remove_missing_entry_is_one_line(tmp_path: Path) -> None:
    done = cli(tmp_path, "memory", "remove", "Hallo")
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0 and "no entry" in done.stderr
