"""ClipJob (the worker's job) checks a job's versions before rendering: an older worker reloads
its files and renders under the job's id; files changed after the job was keyed give a new id."""

from __future__ import annotations

from pathlib import Path

from fake_pipeline import VERSION_FILE, FakePipeline
from signavatar.jobs.clip_job import ClipJob
from signavatar.jobs.request import clip_id, normalise_request
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import ClipRequest, RenderOptions

REQUEST = ClipRequest(glosses="HALLO", options=RenderOptions(width=32, height=32, fps=10))


def key(settings: Settings) -> str:
    """The clip id the service's pipeline gives REQUEST with the lexicon on disk now."""
    return clip_id(normalise_request(REQUEST), FakePipeline(settings).versions())


def test_a_worker_older_than_the_job_reloads_and_renders_under_the_jobs_id(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / VERSION_FILE).write_text("lex-1")
    job = ClipJob(settings, FakePipeline)  # the worker loaded lex-1
    (tmp_path / VERSION_FILE).write_text("lex-2")  # a sign was edited; the service reloaded
    cid = key(settings)
    assert job(cid, REQUEST) is None  # reloaded, so it made the job's id
    assert ClipStore(tmp_path / "clips").is_complete(cid) and job.pipeline.versions()["lexicon"] == "lex-2"


def test_files_changed_after_the_job_was_keyed_give_the_new_id(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / VERSION_FILE).write_text("lex-1")
    cid = key(settings)  # keyed by the service with lex-1
    (tmp_path / VERSION_FILE).write_text("lex-2")
    job = ClipJob(settings, FakePipeline)
    stored_as = job(cid, REQUEST)
    assert stored_as == key(settings) != cid
    store = ClipStore(tmp_path / "clips")
    assert store.is_complete(stored_as) and not store.folder(cid).exists()
