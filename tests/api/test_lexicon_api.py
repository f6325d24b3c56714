"""The lexicon API through the real Pipeline, in-process, on a copy of glosses/ (the repository's
files are never written): list, one sign, its still, and a signer marking it reviewed."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from api.app import create_app
from fake_server import AUTH, EDITOR_AUTH, TEST_API_KEY, TEST_EDITOR_KEY
from signavatar.settings import Settings

REPO_GLOSSES = Path(__file__).resolve().parents[2] / "glosses"


class Client:
    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://127.0.0.1") as c:
                return await c.request(method, path, json=body, headers=headers or {})

        return asyncio.run(go())


@pytest.fixture(scope="module")
def lexicon_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lexicon") / "glosses"
    shutil.copytree(REPO_GLOSSES, root)
    return root


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, lexicon_copy: Path) -> Iterator[Client]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), lexicon_dir=lexicon_copy, api_key=TEST_API_KEY,
                        editor_key=TEST_EDITOR_KEY)
    yield Client(settings)


def test_list_has_every_sign_with_its_kind_and_review_state(client: Client) -> None:
    r = client.request("GET", "/v1/lexicon")
    assert r.status_code == 200
    signs = {s["gloss"]: s for s in r.json()["signs"]}
    assert len(signs) == len(list((REPO_GLOSSES / "signs").glob("*.json")))
    termin = signs["TERMIN"]
    assert termin["kind"] == "lexical" and "Termin" in termin["lemmas"] and termin["hands"] == "two"
    assert termin["motion"] == "keyframes" and termin["source"] == "hand-authored"
    assert isinstance(termin["reviewed"], bool) and termin["description"]
    assert signs["FS-A"]["kind"] == "letter" and signs["NUM-1"]["kind"] == "number"
    assert {s["motion"] for s in signs.values()} <= {"keyframes", "definition", "recording"}


def test_one_sign_is_its_file_plus_the_summary(client: Client) -> None:
    r = client.request("GET", "/v1/lexicon/TERMIN")
    assert r.status_code == 200
    body = r.json()
    on_disk = json.loads((REPO_GLOSSES / "signs" / "TERMIN.json").read_text(encoding="utf-8"))
    assert body["keyframes"] == on_disk["keyframes"] and body["kind"] == "lexical" and body["reviews"] == []
    r = client.request("GET", "/v1/lexicon/GIBTESNICHT")
    assert r.status_code == 404 and "GET /v1/lexicon" in r.json()["detail"]
    assert client.request("GET", "/v1/lexicon/..%2F..%2Fpyproject.toml").status_code == 404


def test_preview_png_is_a_still_of_the_sign_and_cached(client: Client) -> None:
    r = client.request("GET", "/v1/lexicon/TERMIN/preview.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    image = np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"), dtype=np.int16)
    assert image.shape == (160, 160, 3) and image.std() > 20  # the avatar, not an empty frame
    again = client.request("GET", "/v1/lexicon/TERMIN/preview.png")
    assert again.content == r.content and again.headers["etag"] == r.headers["etag"]
    assert client.request("GET", "/v1/lexicon/NOPE/preview.png").status_code == 404


def test_review_marks_the_sign_in_its_file_and_reloads_the_lexicon(client: Client, lexicon_copy: Path) -> None:
    path = lexicon_copy / "signs" / "BRAUCHEN.json"
    before = path.read_text(encoding="utf-8")
    assert '"reviewed": false' in before
    version = client.request("GET", "/v1/lexicon").json()["version"]
    body = {"reviewer": "Dana Gebärdensprachdozentin", "comment": "Ausführung stimmt"}
    assert client.request("POST", "/v1/lexicon/BRAUCHEN/review", body).status_code == 401
    refused = client.request("POST", "/v1/lexicon/BRAUCHEN/review", body, AUTH)  # the API key is not an editor's
    assert refused.status_code == 403 and "editor key" in refused.json()["detail"]
    assert client.request("POST", "/v1/lexicon/NOPE/review", body, EDITOR_AUTH).status_code == 404
    assert client.request("POST", "/v1/lexicon/BRAUCHEN/review", {"reviewer": ""}, EDITOR_AUTH).status_code == 422

    r = client.request("POST", "/v1/lexicon/BRAUCHEN/review", body, EDITOR_AUTH)
    assert r.status_code == 200, r.text
    out = r.json()
    # the review state is not part of a sign's form: the lexicon version stays (signavatar/lexicon/load.py)
    assert out["reviewed"] is True and out["changed"] is True and out["lexicon_version"] == version
    # Only the one literal changed; the file's formatting is kept; no temp file is left.
    assert path.read_text(encoding="utf-8") == before.replace('"reviewed": false', '"reviewed": true', 1)
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".json")) == []
    listed = {s["gloss"]: s for s in client.request("GET", "/v1/lexicon").json()["signs"]}
    assert listed["BRAUCHEN"]["reviewed"] is True
    public = client.request("GET", "/v1/lexicon/BRAUCHEN").json()  # the state and date, not who or why
    assert public["reviewed"] is True and [sorted(e) for e in public["reviews"]] == [["action", "time"]]
    assert "Dana" not in json.dumps(public) and "stimmt" not in json.dumps(public)
    sign = client.request("GET", "/v1/lexicon/BRAUCHEN", headers=EDITOR_AUTH).json()
    assert [(e["action"], e["editor"], e["comment"]) for e in sign["reviews"]] == [
        ("reviewed", "Dana Gebärdensprachdozentin", "Ausführung stimmt")
    ]
    # Reviewing again records the signer again and leaves the file alone.
    again = client.request("POST", "/v1/lexicon/BRAUCHEN/review", {"reviewer": "Eli"}, EDITOR_AUTH).json()
    assert again["changed"] is False and again["lexicon_version"] == out["lexicon_version"]
    assert '"reviewed": false' in (REPO_GLOSSES / "signs" / "BRAUCHEN.json").read_text(encoding="utf-8")
