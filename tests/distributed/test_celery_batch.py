"""A batch through real Celery workers: a real redis-server on loopback, two `signavatar worker`
processes (one render process each) on one shared data folder, real renders at 64x64."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

pytest.importorskip("celery", reason="the scale extra (celery[redis]) is not installed")

from celery_cluster import SIGNAVATAR, Cluster, ClusterError, celery_cluster, wait_for  # noqa: E402
from signavatar.distributed.executor import CeleryExecutor  # noqa: E402
from signavatar.frames_to_video.probe import probe_video  # noqa: E402
from signavatar.jobs.batch_item import render_item  # noqa: E402

VISIBILITY_S = 8.0  # a dead worker's item goes to the other worker after this (s); renders here take ~1 s
SIGNS = ["DANKE", "BITTE", "ANTRAG", "AUSWEIS", "BRIEF", "ADRESSE", "ARBEIT", "AMT", "BAR", "AUCH"]
pytestmark = [pytest.mark.render, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    try:
        with celery_cluster(tmp_path_factory.mktemp("celery"), workers=2, visibility_s=VISIBILITY_S) as c:
            yield c
    except ClusterError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        raise


def _items(prefix: str, size: int) -> list[dict[str, Any]]:
    """20 different one- or two-sign items."""
    pairs = [SIGNS[i % 10] if i < 10 else f"{SIGNS[i % 10]} {SIGNS[(i + 3) % 10]}" for i in range(20)]
    return [{"id": f"{prefix}{n}", "glosses": g, "options": {"width": size, "height": size, "fps": 10}}
            for n, g in enumerate(pairs)]


def _check_results(futures: list[Future[Any]], items: list[dict[str, Any]], cluster: Cluster, size: int) -> None:
    results = [f.result() for f in futures]
    assert [r["id"] for r in results] == [i["id"] for i in items]
    assert [r["status"] for r in results] == ["done"] * len(items), [r["error"] for r in results if r["error"]]
    assert len({r["clip_id"] for r in results}) == len(items)
    for r in results:
        info = probe_video(cluster.data_dir / r["paths"]["video"])
        assert (info["codec"], info["width"], info["height"], info["fps"]) == ("h264", size, size, 10.0)
        assert info["nb_frames"] >= 5 and r["duration_s"] > 0


def test_twenty_items_through_two_celery_workers(cluster: Cluster) -> None:
    items = _items("a", 64)
    env = {"SIGNAVATAR_DATA_DIR": "/not/used/here"}  # each worker uses its --data-dir
    with CeleryExecutor(cluster.url, visibility_timeout_s=VISIBILITY_S) as executor:
        futures = [executor.submit(render_item, item, env) for item in items]
        done, _ = wait(futures, timeout=120)
    assert len(done) == len(items)
    _check_results(futures, items, cluster, 64)
    logs = [log.read_text(errors="replace") for log in cluster.logs]
    assert all("signavatar.render_item" in text and "succeeded" in text for text in logs), "both workers rendered"


def test_batch_of_20_sentences_through_the_console_script_on_celery(cluster: Cluster, tmp_path: Path) -> None:
    sentences = ["Danke.", "Bitte.", "Hallo.", "Ich brauche einen Termin.", "Wo ist das Bürgeramt?",
                 "Heute ist das Amt geschlossen.", "Ich habe einen Antrag.", "Wann haben Sie Zeit?",
                 "Ich brauche einen Pass.", "Wir ziehen um.", "Das Formular ist neu.", "Wie ist Ihr Name?",
                 "Ich bezahle bar.", "Ich habe einen Brief.", "Wo ist die Post?", "Bringen Sie ein Foto mit.",
                 "Die Adresse ist neu.", "Ich muss warten.", "Morgen komme ich.", "Ich brauche Hilfe."]
    lines = [{"id": f"c{n:02d}", "text": t} for n, t in enumerate(sentences)]
    source = tmp_path / "faq.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    # --out is the shared folder the workers write to: manifest paths are relative to it
    cmd = [str(SIGNAVATAR), "batch", str(source), "--out", str(cluster.data_dir), "--celery", cluster.url,
           "--size", "56x56", "--fps", "10"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((cluster.data_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["done"] == 20 and manifest["counts"]["failed"] == 0
    assert [e["id"] for e in manifest["items"]] == [line["id"] for line in lines]
    assert len({e["clip_id"] for e in manifest["items"]}) == 20
    for entry in manifest["items"]:
        assert probe_video(cluster.data_dir / entry["paths"]["video"])["width"] == 56
    # --workers and --celery together, and --celery without a URL or SIGNAVATAR_BROKER_URL: one line, exit != 0
    env = {k: v for k, v in os.environ.items() if k != "SIGNAVATAR_BROKER_URL"}
    for extra in (["--celery", cluster.url, "--workers", "2"], ["--celery"]):
        bad = subprocess.run([*cmd[:5], *extra], capture_output=True, text=True, cwd=tmp_path, env=env)
        assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr


def test_http_service_enqueues_to_celery(cluster: Cluster) -> None:
    """A real `signavatar serve` with SIGNAVATAR_QUEUE_BACKEND=celery: the workers render its clip."""
    sys.path.insert(0, str(REPO / "tests"))
    import httpx

    from real_server import AUTH, TEST_API_KEY, serve_process

    env = {"SIGNAVATAR_API_KEY": TEST_API_KEY, "SIGNAVATAR_QUEUE_BACKEND": "celery",
           "SIGNAVATAR_BROKER_URL": cluster.url}
    with serve_process(cluster.data_dir, env) as service, httpx.Client(base_url=service.url, headers=AUTH) as client:
        posted = client.post("/v1/clips", json={"glosses": "DANKE BRIEF AMT",
                                                "options": {"width": 40, "height": 40, "fps": 10}})
        assert posted.status_code == 202, posted.text
        status_url = posted.json()["status_url"]
        wait_for(lambda: client.get(status_url).json()["status"] in ("done", "failed"), 60, "the clip")
        body = client.get(status_url).json()
        assert body["status"] == "done", body
        assert client.get(body["urls"]["video"]).status_code == 200
    cid = body["id"]
    assert probe_video(cluster.data_dir / "clips" / cid[:2] / cid / "video.mp4")["width"] == 40
    assert any(cid in log.read_text(errors="replace") for log in cluster.logs), "a Celery worker rendered it"


def test_a_killed_worker_loses_no_item(cluster: Cluster) -> None:
    items = _items("k", 48)  # other clip ids than the first test: everything renders again
    env = {"SIGNAVATAR_DATA_DIR": "/not/used/here"}
    victim = cluster.workers[0]
    with CeleryExecutor(cluster.url, visibility_timeout_s=VISIBILITY_S) as executor:
        futures = [executor.submit(render_item, item, env) for item in items]
        wait_for(lambda: sum(f.done() for f in futures) >= 3, 60, "the first results")
        assert sum(f.done() for f in futures) < len(items) - 2, "the batch ended before the kill"

        def holding() -> set[str]:  # tasks the victim received and has not finished (between two it holds none)
            log = cluster.logs[0].read_text(errors="replace")
            return _tasks(log, "received") - _tasks(log, "succeeded")

        wait_for(lambda: bool(holding()), 60, "the victim to hold a task")
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its render process: a machine gone mid-render
        victim.wait(timeout=10)
        done, _ = wait(futures, timeout=120)
    assert len(done) == len(items)
    _check_results(futures, items, cluster, 48)
    # The task the victim held when it died was received again and rendered by the other worker.
    victim_log, survivor_log = (log.read_text(errors="replace") for log in cluster.logs)
    lost = _tasks(victim_log, "received") - _tasks(victim_log, "succeeded")
    assert lost, "the killed worker held no task"
    assert lost <= _tasks(survivor_log, "succeeded")


def _tasks(log: str, event: str) -> set[str]:
    return set(re.findall(r"signavatar\.render_item\[([0-9a-f-]+)\] " + event, log))


def test_celery_workers_translate_with_the_memory_of_the_configured_data_dir(cluster: Cluster, tmp_path: Path) -> None:
    """The submitter's SIGNAVATAR_DATA_DIR holds an approved translation; the workers use it, not the
    --out folder's (which has no memory), and agree with `signavatar gloss`."""
    from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory

    data = tmp_path / "data"
    TranslationMemory(data / MEMORY_FILENAME).approve("Ich brauche einen Termin.", "TERMIN ICH BRAUCHEN", "A. Muster")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SIGNAVATAR_")}, "SIGNAVATAR_DATA_DIR": str(data)}
    glossed = subprocess.run([str(SIGNAVATAR), "gloss", "Ich brauche einen Termin."], capture_output=True, text=True,
                             cwd=tmp_path, env=env)
    assert glossed.stdout.split() == ["TERMIN", "ICH", "BRAUCHEN"], glossed.stderr
    source = tmp_path / "memory.jsonl"
    source.write_text(json.dumps({"id": "termin", "text": "Ich brauche einen Termin."}) + "\n", encoding="utf-8")
    cmd = [str(SIGNAVATAR), "batch", str(source), "--out", str(cluster.data_dir), "--celery", cluster.url,
           "--size", "44x44", "--fps", "10"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    entry = json.loads((cluster.data_dir / "manifest.json").read_text(encoding="utf-8"))["items"][0]
    assert entry["glosses"] == "TERMIN ICH BRAUCHEN", entry
    assert any("aus dem Übersetzungsgedächtnis" in w for w in entry["warnings"]), entry
    assert not (cluster.data_dir / MEMORY_FILENAME).exists()


def test_shared_folder_mapping_moves_only_folders_inside_it() -> None:
    from signavatar.distributed.celery_app import map_shared_folder

    env = {"SIGNAVATAR_DATA_DIR": "/srv/shared/data", "SIGNAVATAR_LEXICON_DIR": "/opt/glosses",
           "SIGNAVATAR_MAX_GLOSSES": "9"}
    mapped, out = map_shared_folder(env, "/srv/shared", "/mnt/s")  # a batch: --out is the shared folder
    assert out == "/mnt/s" and mapped["SIGNAVATAR_DATA_DIR"] == "/mnt/s/data"
    assert mapped["SIGNAVATAR_LEXICON_DIR"] == "/opt/glosses" and mapped["SIGNAVATAR_MAX_GLOSSES"] == "9"
    mapped, out = map_shared_folder({"SIGNAVATAR_DATA_DIR": "/srv/service"}, None, "/mnt/s")  # the service
    assert out == "/mnt/s" and mapped["SIGNAVATAR_DATA_DIR"] == "/mnt/s"
    mapped, _ = map_shared_folder({"SIGNAVATAR_DATA_DIR": "/home/me/var"}, "/srv/shared", "/mnt/s")
    assert mapped["SIGNAVATAR_DATA_DIR"] == "/home/me/var"  # not shared: left alone (render_item checks it)


def test_worker_without_broker_fails_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SIGNAVATAR_BROKER_URL"}
    done = subprocess.run([str(SIGNAVATAR), "worker"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "signavatar: error: no broker: give --broker redis://HOST:6379/0 or set SIGNAVATAR_BROKER_URL"]
    done = subprocess.run([str(SIGNAVATAR), "worker", "--broker", "http://x"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1
