"""The batch's local worker processes: they translate with the configured translation memory, and
a worker killed outright (SIGKILL) costs only the item it was rendering.

Real processes throughout: `python -m signavatar.cli batch` subprocesses with the real pipeline at
48x48, and the BatchPool of --workers 2 (forkserver children) with the fake pipeline, whose "CRASH"
gloss SIGKILLs its own process mid-render."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fake_pipeline import FakePipeline
from signavatar.commands.batch import batch_env, choose_executor
from signavatar.jobs.batch import run_batch
from signavatar.jobs.batch_input import BatchItem
from signavatar.jobs.batch_item import render_item
from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory
from signavatar.types import RenderOptions

REPO = Path(__file__).resolve().parents[2]
SMALL = ["--size", "48x48", "--fps", "10"]
SENTENCE = "Ich brauche einen Termin."
APPROVED = "TERMIN ICH BRAUCHEN"  # the rules say ICH TERMIN BRAUCHEN


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**env, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "signavatar.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.mark.render
def test_pool_workers_translate_with_the_memory_of_the_configured_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    TranslationMemory(data / MEMORY_FILENAME).approve(SENTENCE, APPROVED, "A. Muster")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNAVATAR_")}
    env["SIGNAVATAR_DATA_DIR"] = str(data)
    source = tmp_path / "faq.jsonl"
    source.write_text(json.dumps({"id": "termin", "text": SENTENCE}) + "\n"
                      + json.dumps({"id": "danke", "text": "Danke."}) + "\n", encoding="utf-8")

    glossed = _run(["gloss", SENTENCE], env, tmp_path)
    assert glossed.returncode == 0 and glossed.stdout.split() == APPROVED.split(), glossed.stderr
    for workers in ("2", "1"):  # the local pool, then in-process: the same memory
        out = tmp_path / f"out{workers}"
        done = _run(["batch", str(source), "--out", str(out), "--workers", workers, *SMALL], env, tmp_path)
        assert done.returncode == 0, done.stderr
        items = {e["id"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["items"]}
        assert items["termin"]["glosses"] == APPROVED, (workers, items["termin"])
        assert any("aus dem Übersetzungsgedächtnis" in w for w in items["termin"]["warnings"]), items["termin"]
        assert items["danke"]["status"] == "done"
        assert (out / items["termin"]["paths"]["video"]).is_file()
        assert not (out / MEMORY_FILENAME).exists()  # --out holds clips and the manifest, not a memory


def test_batch_env_names_the_configured_data_dir_not_the_out_folder(tmp_path: Path) -> None:
    env = batch_env({"SIGNAVATAR_DATA_DIR": "data", "SIGNAVATAR_LEXICON_DIR": "~/lex", "SIGNAVATAR_API_KEY": "k",
                     "SIGNAVATAR_EDITOR_KEY": "e", "SIGNAVATAR_MAX_GLOSSES": "7", "HOME": "/nowhere"})
    assert env["SIGNAVATAR_DATA_DIR"] == str(Path("data").resolve())  # absolute: a worker may run elsewhere
    assert env["SIGNAVATAR_LEXICON_DIR"] == str(Path("~/lex").expanduser().resolve())
    assert env["SIGNAVATAR_MAX_GLOSSES"] == "7"
    assert "SIGNAVATAR_API_KEY" not in env and "SIGNAVATAR_EDITOR_KEY" not in env and "HOME" not in env


def test_a_worker_that_cannot_see_the_submitters_memory_fails_the_item(tmp_path: Path) -> None:
    env = {"SIGNAVATAR_DATA_DIR": str(tmp_path / "elsewhere"), "SIGNAVATAR_PIPELINE": "fake_pipeline:FakePipeline"}
    entry = render_item({"id": "q", "text": "Hallo", "options": {"width": 32, "height": 32, "fps": 10}},
                        env, str(tmp_path / "out"), True)
    assert entry["status"] == "failed"
    assert "translation memory" in entry["error"] and "not on this worker" in entry["error"]


def test_a_killed_pool_worker_costs_only_the_item_it_was_rendering(tmp_path: Path) -> None:
    """--workers 2: the first item SIGKILLs its worker on every try; the items waiting behind it are
    rendered by the other and a fresh worker; it is tried max_attempts times, then reported failed."""
    items = [BatchItem("crash", None, "CRASH")] + [BatchItem(f"ok{n}", f"Satz Nummer {n}", None) for n in range(6)]
    out = tmp_path / "out"
    out.mkdir()
    env = batch_env({"SIGNAVATAR_DATA_DIR": str(tmp_path / "data"), "SIGNAVATAR_MAX_ATTEMPTS": "2",
                     "SIGNAVATAR_PIPELINE": "fake_pipeline:FakePipeline"})
    seen: list[tuple[int, int, str]] = []

    def progress(finished: int, total: int, entry: dict[str, Any]) -> None:
        seen.append((finished, total, entry["id"]))

    with choose_executor(SimpleNamespace(workers=2), None, max_attempts=2) as (executor, fn):
        manifest = run_batch(items, out, executor, env, FakePipeline().versions(), RenderOptions(32, 32, 10),
                             progress=progress, fn=fn)

    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["counts"] == manifest["counts"] == {"done": 6, "skipped": 0, "failed": 1}
    entries = {e["id"]: e for e in on_disk["items"]}
    assert [e["id"] for e in on_disk["items"]] == [i.id for i in items]  # nothing lost, input order
    crash = entries["crash"]
    assert crash["status"] == "failed"
    assert "worker process died" in crash["error"] and "SIGKILL" in crash["error"] and "2 times" in crash["error"]
    for n in range(6):
        ok = entries[f"ok{n}"]
        assert ok["status"] == "done" and ok["error"] is None, ok
        assert (out / ok["paths"]["video"]).is_file()
    assert [s[0] for s in seen] == list(range(1, 8)) and {s[1] for s in seen} == {7}
    assert sorted(s[2] for s in seen) == sorted(i.id for i in items)


def test_the_console_script_reports_the_killed_workers_item_and_renders_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "items"
    source.mkdir()
    (source / "a_crash.gloss").write_text("CRASH", encoding="utf-8")
    for n in range(4):
        (source / f"b{n}.gloss").write_text(f"HALLO {n}", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNAVATAR_")}
    env.update(SIGNAVATAR_DATA_DIR=str(tmp_path / "data"), SIGNAVATAR_PIPELINE="fake_pipeline:FakePipeline",
               SIGNAVATAR_MAX_ATTEMPTS="2")
    env["PYTHONPATH"] = os.pathsep.join((str(REPO), str(REPO / "tests")))  # the workers import the fake pipeline
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "signavatar.cli", "batch", str(source), "--out", str(out),
                           "--workers", "2", *SMALL],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "4 done, 0 skipped, 1 failed" in done.stdout
    assert "signavatar: failed: a_crash: the worker process died while rendering it (killed by SIGKILL), 2 times" \
        in done.stderr
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"] == {
        "done": 4, "skipped": 0, "failed": 1}
