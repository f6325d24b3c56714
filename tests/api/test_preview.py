"""POST /v1/preview through the real Pipeline, in-process: joint positions of the planned motion for
the editor's skeleton view, fast enough to follow every edit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from api.app import create_app
from fake_server import AUTH, TEST_API_KEY
from signavatar.settings import Settings

TEN = "TERMIN ICH BRAUCHEN MORGEN AMT ANTRAG AUSFÜLLEN BITTE DANKE FERTIG"
LIMIT_S = 0.5  # the editor's target is edit -> first frame within 1 s; the server gets half


class Client:
    """Requests to the app in this process (no lifespan: the preview needs no job queue)."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://127.0.0.1") as c:
                return await c.post(path, json=body, headers=headers or {})

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    yield Client(Settings(data_dir=tmp_path_factory.mktemp("preview"), api_key=TEST_API_KEY))


def test_preview_of_glosses_is_a_skeleton_motion(client: Client) -> None:
    r = client.post("/v1/preview", {"glosses": "TERMIN fs-ANNA 17"}, AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [t["gloss"] for t in body["tokens"]] == ["TERMIN", "fs-ANNA", "17"]
    assert [t["kind"] for t in body["tokens"]] == ["lexicon", "fingerspell", "number"]
    assert body["tokens"] == body["glosses"] and body["gloss_string"] == "TERMIN fs-ANNA 17"
    assert body["fps"] == 12.5
    joints, parents = body["joints"], body["parents"]
    frames = np.asarray(body["frames"])  # (T, J, 3) metres
    assert frames.shape[1:] == (len(joints), 3) and len(parents) == len(joints) and frames.shape[0] > 20
    assert parents[0] == -1 and all(-1 <= p < i for i, p in enumerate(parents))
    assert len(body["labels"]) == frames.shape[0] and "TERMIN" in body["labels"]
    head, wrist_r, wrist_l = (joints.index(n) for n in ("head", "wrist.R", "wrist.L"))
    # Y up, +X the signer's left: the head is above the wrists, the left wrist at larger X.
    assert (frames[:, head, 1] > frames[:, wrist_r, 1]).all()
    assert frames[0, wrist_l, 0] > frames[0, wrist_r, 0]
    # The hands move while signing and the figure is about human size.
    assert np.ptp(frames[:, wrist_r], axis=0).max() > 0.1 and 0.2 < np.ptp(frames[0, :, 1]) < 2.0


def test_preview_of_text_translates_it(client: Client) -> None:
    r = client.post("/v1/preview", {"text": "Ich brauche einen Termin."}, AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["gloss_string"] == "ICH TERMIN BRAUCHEN" and r.json()["frames"]


@pytest.mark.parametrize("body,status,words", [
    ({"glosses": "TERMIN QUATSCH BLABLA"}, 400, ["'QUATSCH'", "'BLABLA'"]),
    ({"glosses": "TERMIN", "text": "Termin"}, 400, ["either text", "glosses"]),
    ({}, 400, ["either text"]),
    ({"glosses": "   "}, 400, ["glosses are empty"]),
    ({"glosses": "TERMIN", "speed": 9}, 422, ["speed"]),
])
def test_preview_bad_input_says_what_to_change(client: Client, body: dict[str, Any], status: int,
                                               words: list[str]) -> None:
    r = client.post("/v1/preview", body, AUTH)
    assert r.status_code == status, r.text
    assert all(w in r.json()["detail"] for w in words), r.json()


def test_preview_needs_the_key(client: Client) -> None:
    assert client.post("/v1/preview", {"glosses": "TERMIN"}).status_code == 401


def test_preview_of_ten_glosses_is_fast(client: Client) -> None:
    client.post("/v1/preview", {"glosses": TEN}, AUTH)  # first call loads the lexicon and avatar
    times = []
    for _ in range(5):
        start = time.perf_counter()
        r = client.post("/v1/preview", {"glosses": TEN}, AUTH)
        times.append(time.perf_counter() - start)
        assert r.status_code == 200 and len(r.json()["tokens"]) == 10
    assert sorted(times)[2] < LIMIT_S, times

