"""Every way in takes its text limit from Settings (SIGNAVATAR_MAX_TEXT_CHARS), through the one
request path (jobs/request.py, jobs/plan.py): a lower limit refuses on every endpoint with the same
message, a higher one lets a long text through where a hard-coded 2000 used to refuse it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from fake_server import TEST_API_KEY
from signavatar.settings import Settings

TEST_EDITOR_KEY = "editor-key-for-the-limit-tests-0123"
SENTENCE = "Ich brauche einen Termin beim Bürgeramt. "  # 41 characters


def call(settings: Settings, method: str, path: str, **kw: Any) -> httpx.Response:
    """One request to the app in this process (no lifespan: nothing here reaches the job queue)."""
    app = create_app(settings)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return await c.request(method, path, **kw)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def low(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    yield Settings(data_dir=tmp_path_factory.mktemp("low"), api_key=TEST_API_KEY, editor_key=TEST_EDITOR_KEY,
                   max_text_chars=60)


TEXT = (SENTENCE * 2).strip()  # 81 characters: over the low limit of 60
KEY = {"Authorization": f"Bearer {TEST_API_KEY}"}
EDITOR = {"Authorization": f"Bearer {TEST_EDITOR_KEY}"}


@pytest.mark.parametrize("method,path,kw", [
    ("GET", "/v1/gloss", {"params": {"text": TEXT}}),
    ("POST", "/v1/clips", {"json": {"text": TEXT}, "headers": KEY}),
    ("POST", "/v1/clips", {"json": {"glosses": "TERMIN " * 12, "source_text": "Termin."}, "headers": KEY}),
    ("POST", "/v1/preview", {"json": {"text": TEXT}, "headers": KEY}),
    ("POST", "/v1/memory", {"json": {"text": TEXT, "glosses": "TERMIN", "editor": "Test"}, "headers": EDITOR}),
], ids=["gloss", "clip_text", "clip_glosses", "preview", "memory"])
def test_a_lower_limit_refuses_on_every_endpoint(low: Settings, method: str, path: str, kw: dict[str, Any]) -> None:
    r = call(low, method, path, **kw)
    assert r.status_code == 400, r.text
    assert "the limit is 60" in r.json()["detail"], r.text


def test_a_higher_limit_lets_a_long_text_through(tmp_path_factory: pytest.TempPathFactory) -> None:
    long_text = (SENTENCE * 60).strip()  # 2459 characters: over the default of 2000
    assert len(long_text) > 2000
    default = Settings(data_dir=tmp_path_factory.mktemp("default"))
    assert call(default, "GET", "/v1/gloss", params={"text": long_text}).status_code == 400
    high = Settings(data_dir=tmp_path_factory.mktemp("high"), max_text_chars=3000)
    r = call(high, "GET", "/v1/gloss", params={"text": long_text})
    assert r.status_code == 200, r.text
    glosses = r.json()["glosses"]
    assert glosses[:2] == glosses[len(glosses) // 60:][:2]  # the same sentence, 60 times
