"""A clip that finishes between the status poll's two reads (its clip.json, then the job table) is
answered as done with its urls, never as a bare "done" (seen as a KeyError in the crash tests)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from fake_pipeline import FakePipeline
from fake_server import AUTH, TEST_API_KEY
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings


def test_done_between_the_two_reads_has_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path, api_key=TEST_API_KEY, workers=1)
    real_read = ClipStore.read_metadata

    async def go() -> tuple[dict[str, Any], dict[str, Any]]:
        app = create_app(settings, FakePipeline)
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(app.router.lifespan_context(app))
            c = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"))
            r = await c.post("/v1/clips", json={"glosses": "HALLO"}, headers=AUTH)
            assert r.status_code == 202, r.text
            cid = r.json()["id"]
            for _ in range(600):
                settled = (await c.get(f"/v1/clips/{cid}")).json()
                if settled["status"] in ("done", "failed"):
                    break
                await asyncio.sleep(0.05)
            assert settled["status"] == "done", settled
            # the race: clip.json not there at the first read, the job already done at the second
            calls = {"n": 0}

            def first_read_misses(self: ClipStore, clip_id: str) -> dict[str, Any] | None:
                calls["n"] += 1
                return None if calls["n"] == 1 else real_read(self, clip_id)

            monkeypatch.setattr(ClipStore, "read_metadata", first_read_misses)
            # the worker stores clip.json before the job table hears it is done: until then the
            # table still says running, which is the answer without clip.json
            for _ in range(600):
                calls["n"] = 0
                raced = (await c.get(f"/v1/clips/{cid}")).json()
                if raced["status"] != "running":
                    break
                await asyncio.sleep(0.01)
            assert calls["n"] == 2
            return settled, raced

    settled, raced = asyncio.run(go())
    assert raced["status"] == "done"
    assert raced["urls"] == settled["urls"] and raced["frame_count"] == settled["frame_count"]
