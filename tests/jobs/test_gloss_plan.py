"""The one gloss plan of a request (jobs/plan.py): made once, by the HTTP service before it queues
the job, and rendered by the worker without translating again while the versions match."""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import pytest
from fake_jobs import FakeJob

from fake_pipeline import FakePipeline
from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.jobs.clip_job import ClipJob
from signavatar.jobs.plan import GlossPlan, plan_from_dict, plan_glosses, plan_to_dict
from signavatar.jobs.queue import JobQueue
from signavatar.jobs.render import render_clip
from signavatar.jobs.request import clip_id, prepare_request
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import ClipRequest, GlossSequence, GlossToken, RenderOptions

SMALL = RenderOptions(width=32, height=32, fps=10)


class CountingPipeline(FakePipeline):
    """The fake pipeline, counting its translations and gloss parses."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        self.translations = 0

    def translate(self, text: str, model: object = None) -> GlossSequence:
        self.translations += 1
        return super().translate(text, model)

    def parse_glosses(self, glosses: str) -> GlossSequence:
        self.translations += 1
        return super().parse_glosses(glosses)


def prepared(text: str | None = None, glosses: str | None = None, settings: Settings | None = None) -> ClipRequest:
    return prepare_request(ClipRequest(text=text, glosses=glosses, options=SMALL), settings or Settings())


def test_a_plan_survives_the_trip_to_the_worker_only_with_its_versions() -> None:
    pipeline = CountingPipeline()
    plan = plan_glosses(prepared("Ich brauche einen Termin?"), pipeline, Settings())
    assert plan.sequence.glosses() == ["ICH", "BRAUCHE", "EINEN", "TERMIN"]
    assert plan.duration == pytest.approx(pipeline.duration(plan.sequence, SMALL))
    data = json.loads(json.dumps(plan_to_dict(plan, pipeline.versions())))  # as it travels in the job table
    assert plan_from_dict(data, pipeline.versions()) == plan
    assert plan_from_dict(data, {**pipeline.versions(), "lexicon": "newer"}) is None  # planned with other files
    for broken in ({}, {**data, "glosses": "x"}, {**data, "rules": []}, {**data, "duration": "long"}):
        assert plan_from_dict(broken, pipeline.versions()) is None  # unreadable: the worker plans again


def test_a_plan_keeps_the_editors_mouthing_and_refuses_a_broken_one() -> None:
    versions = FakePipeline().versions()
    seq = GlossSequence((GlossToken("GUT", mouthing="pf"), GlossToken("TERMIN"), GlossToken("ICH", mouthing="größe")))
    data = json.loads(json.dumps(plan_to_dict(GlossPlan(seq, 2.0), versions)))
    assert [t.get("mouthing") for t in data["glosses"]] == ["pf", None, "größe"]
    back = plan_from_dict(data, versions)
    assert back is not None and back.sequence == seq
    for mouthing in (3, ["pf"], {"word": "pf"}, True, "", "PF", "gut1", "a b", "x" * 41):
        broken = {**data, "glosses": [{**data["glosses"][0], "mouthing": mouthing}, *data["glosses"][1:]]}
        assert plan_from_dict(broken, versions) is None, mouthing  # the worker plans again from the request
    assert plan_from_dict({**data, "glosses": [None]}, versions) is None


def test_the_plan_checks_every_limit_of_the_settings() -> None:
    pipeline = FakePipeline()
    with pytest.raises(InvalidInputError, match="the limit is 3: split"):
        plan_glosses(prepared("eins zwei drei vier"), pipeline, Settings(max_glosses=3))
    with pytest.raises(InvalidInputError, match=r"would last .* the limit is 1 s"):
        plan_glosses(prepared("eins zwei drei"), pipeline, Settings(max_duration_s=1.0))
    with pytest.raises(UnknownGlossError, match="'xyz', 'qqq'"):  # every unknown gloss named at once
        plan_glosses(prepared(glosses="HALLO xyz qqq"), pipeline, Settings())


def test_render_clip_with_a_plan_does_not_translate_again(tmp_path: Path) -> None:
    pipeline, settings = CountingPipeline(), Settings()
    request = prepared("Wo ist das Amt?")
    plan = plan_glosses(request, pipeline, settings)
    assert pipeline.translations == 1
    clip = render_clip(request, pipeline, ClipStore(tmp_path / "a"), settings=settings, plan=plan)
    assert pipeline.translations == 1 and clip.sequence == plan.sequence
    render_clip(request, pipeline, ClipStore(tmp_path / "b"), settings=settings)  # no plan: planned here
    assert pipeline.translations == 2


def test_the_worker_renders_the_services_plan(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    service = FakePipeline(settings)
    request = prepared("Ich komme morgen", settings=settings)
    plan = plan_to_dict(plan_glosses(request, service, settings), service.versions())
    job = ClipJob(settings, CountingPipeline)
    cid = clip_id(request, service.versions())
    assert job(cid, request, plan) is None
    worker = job.pipeline
    assert isinstance(worker, CountingPipeline) and worker.translations == 0
    assert ClipStore(tmp_path / "clips").read_clip(cid) is not None
    other = prepared("Ich komme heute", settings=settings)
    job(clip_id(other, service.versions()), other, None)  # no plan (a job queued before plans): planned there
    assert worker.translations == 1


def test_the_queue_hands_the_plan_to_the_worker(tmp_path: Path) -> None:
    request = prepared("ok")  # FakeJob (tests/jobs/fake_jobs.py) renders "ok" at once
    plan = plan_to_dict(plan_glosses(request, FakePipeline(), Settings()), FakePipeline().versions())
    queue = JobQueue(tmp_path / "jobs.sqlite", functools.partial(FakeJob, str(tmp_path)), workers=1)
    queue.start()
    try:
        queue.submit("a" * 32, request, plan)
        deadline = time.monotonic() + 30
        while (record := queue.get("a" * 32)) is not None and record.status != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.close()
    assert record is not None and record.status == "done", record
    assert [json.loads(line) for line in (tmp_path / "plans.log").read_text().splitlines()] == [plan]
