"""The lexicon API through the real Pipeline, in-process, on a copy of glosses/ (which must stay
byte-identical: the city's changes go to the data dir): list, one sign, its still, reviews attached
to the sign's form, revisions into the overlay, export and import of the city's lexicon."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from api.app import create_app
from fake_server import AUTH, EDITOR_AUTH, TEST_API_KEY, TEST_EDITOR_KEY
from file_tree import tree_digest
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

    def post_bytes(self, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://127.0.0.1") as c:
                return await c.post(path, content=body, headers={**headers, "Content-Type": "application/zip"})

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



def sign_file(gloss: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO_GLOSSES / "signs" / f"{gloss}.json").read_text(encoding="utf-8"))
    return data


def test_review_is_recorded_for_the_form_and_writes_no_file(client: Client, lexicon_copy: Path) -> None:
    shipped = tree_digest(lexicon_copy)
    version = client.request("GET", "/v1/lexicon").json()["version"]
    body = {"reviewer": "Dana Gebärdensprachdozentin", "comment": "Ausführung stimmt"}
    assert client.request("POST", "/v1/lexicon/BRAUCHEN/review", body).status_code == 401
    refused = client.request("POST", "/v1/lexicon/BRAUCHEN/review", body, AUTH)  # the API key is not an editor's
    assert refused.status_code == 403 and "editor key" in refused.json()["detail"]
    assert client.request("POST", "/v1/lexicon/NOPE/review", body, EDITOR_AUTH).status_code == 404
    assert client.request("POST", "/v1/lexicon/BRAUCHEN/review", {"reviewer": ""}, EDITOR_AUTH).status_code == 422
    bad = client.request("POST", "/v1/lexicon/BRAUCHEN/review", {**body, "action": "reviewed"}, EDITOR_AUTH)
    assert bad.status_code == 422

    r = client.request("POST", "/v1/lexicon/BRAUCHEN/review", body, EDITOR_AUTH)  # no action: approved
    assert r.status_code == 200, r.text
    out = r.json()
    form = client.request("GET", "/v1/lexicon/BRAUCHEN").json()["form"]
    assert out["reviewed"] is True and out["lexicon_version"] == version
    assert out["review"] == {"state": "approved", "action": "approved", "editor": "Dana Gebärdensprachdozentin",
                             "time": out["review"]["time"], "comment": "Ausführung stimmt", "form": form}
    listed = {s["gloss"]: s for s in client.request("GET", "/v1/lexicon").json()["signs"]}
    assert listed["BRAUCHEN"]["reviewed"] is True and listed["BRAUCHEN"]["review"]["state"] == "approved"
    assert "editor" not in listed["BRAUCHEN"]["review"] and listed["BRAUCHEN"]["revision"] == 0
    public = client.request("GET", "/v1/lexicon/BRAUCHEN").json()  # the state and date, not who or why
    assert public["reviewed"] is True and [sorted(e) for e in public["reviews"]] == [["action", "form", "time"]]
    assert "Dana" not in json.dumps(public) and "stimmt" not in json.dumps(public)
    sign = client.request("GET", "/v1/lexicon/BRAUCHEN", headers=EDITOR_AUTH).json()
    assert [(e["action"], e["editor"], e["comment"]) for e in sign["reviews"]] == [
        ("approved", "Dana Gebärdensprachdozentin", "Ausführung stimmt")]
    assert sign["review"]["editor"] == "Dana Gebärdensprachdozentin"

    # rejecting needs a reason, proposing needs the fix; each is the sign's state for its form
    assert client.request("POST", "/v1/lexicon/BRAUCHEN/review", {"reviewer": "Eli", "action": "rejected"},
                          EDITOR_AUTH).status_code == 400
    missing = client.request("POST", "/v1/lexicon/BRAUCHEN/review", {"reviewer": "Eli", "action": "proposed"},
                             EDITOR_AUTH)
    assert missing.status_code == 400 and "proposal" in missing.json()["detail"]
    proposed = client.request("POST", "/v1/lexicon/BRAUCHEN/review", {
        "reviewer": "Eli", "action": "proposed", "proposal": "Daumen abspreizen", "comment": "sonst gut"}, EDITOR_AUTH)
    assert proposed.status_code == 200 and proposed.json()["reviewed"] is False
    assert proposed.json()["review"]["proposal"] == "Daumen abspreizen"
    rejected = client.request("POST", "/v1/lexicon/WARTEN/review", {
        "reviewer": "Eli", "action": "rejected", "reason": "Ort falsch"}, EDITOR_AUTH).json()
    assert rejected["review"]["state"] == "rejected" and rejected["review"]["reason"] == "Ort falsch"
    after = client.request("GET", "/v1/lexicon").json()
    assert after["version"] == version
    states = {s["gloss"]: s["review"]["state"] for s in after["signs"]}
    assert (states["BRAUCHEN"], states["WARTEN"], states["TERMIN"]) == ("proposed", "rejected", "unreviewed")
    assert tree_digest(lexicon_copy) == shipped  # the shipped folder is never written


def test_a_revision_goes_to_the_overlay_and_starts_unreviewed(client: Client, lexicon_copy: Path) -> None:
    shipped = tree_digest(lexicon_copy)
    version = client.request("GET", "/v1/lexicon").json()["version"]
    assert client.request("POST", "/v1/lexicon/HEUTE/review", {"reviewer": "Dana"}, EDITOR_AUTH).json()["reviewed"]
    sign = {**sign_file("HEUTE"), "duration": 0.77}
    body = {"editor": "Anna", "reason": "langsamer", "sign": sign}
    assert client.request("POST", "/v1/lexicon/HEUTE/revisions", body).status_code == 401
    assert client.request("POST", "/v1/lexicon/HEUTE/revisions", body, AUTH).status_code == 403
    bad = client.request("POST", "/v1/lexicon/HEUTE/revisions", {**body, "sign": {**sign, "hands": "three"}},
                         EDITOR_AUTH)
    assert bad.status_code == 400 and bad.json()["detail"].startswith("HEUTE.json: hands: unknown hand count")
    assert client.request("POST", "/v1/lexicon/HEUTE/revisions", {**body, "reason": ""}, EDITOR_AUTH).status_code \
        == 422
    assert client.request("POST", "/v1/lexicon/HEUTE/revisions", {**body, "extra": 1}, EDITOR_AUTH).status_code \
        == 422
    recorded = client.request("POST", "/v1/lexicon/HEUTE/revisions",
                              {**body, "sign": {**sign, "source": "recorded"}}, EDITOR_AUTH)
    assert recorded.status_code == 400 and "consent" in recorded.json()["detail"]
    assert client.request("GET", "/v1/lexicon/HEUTE/revisions").json()["revisions"] == []

    r = client.request("POST", "/v1/lexicon/heute/revisions", body, EDITOR_AUTH)
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["gloss"] == "HEUTE" and saved["revision"] == 1 and saved["lexicon_version"] != version
    listing = client.request("GET", "/v1/lexicon").json()  # the service reloaded its lexicon
    assert listing["version"] == saved["lexicon_version"]
    heute = client.request("GET", "/v1/lexicon/HEUTE").json()
    assert heute["duration"] == 0.77 and heute["revision"] == 1 and heute["reviewed"] is False
    assert heute["review"] == {"state": "unreviewed"} and [r["action"] for r in heute["reviews"]] == ["approved"]
    assert heute["revisions"] == [{"revision": 1, "time": heute["revisions"][0]["time"], "form": heute["form"]}]
    full = client.request("GET", "/v1/lexicon/HEUTE/revisions", headers=EDITOR_AUTH).json()
    assert [(x["revision"], x["editor"], x["reason"]) for x in full["revisions"]] == [(1, "Anna", "langsamer")]
    new = {**sign_file("HEUTE"), "gloss": "STADTFEST", "lemmas": ["Stadtfest"]}
    added = client.request("POST", "/v1/lexicon/STADTFEST/revisions", {
        "editor": "Anna", "reason": "neu", "sign": new, "consent": {"licence": "CC-BY-4.0"}}, EDITOR_AUTH)
    assert added.status_code == 201 and client.request("GET", "/v1/lexicon/STADTFEST").json()["kind"] == "lexical"
    assert tree_digest(lexicon_copy) == shipped


def test_revert_uses_the_shipped_sign_again_and_its_review(client: Client, lexicon_copy: Path) -> None:
    """After the revision above, HEUTE goes back to the shipped sign: the approval made for the shipped
    form holds again (reviews belong to a form); the revert is a revision with who and why."""
    body = {"editor": "Ben", "reason": "die Gebärde des Programms passt doch"}
    if not client.request("GET", "/v1/lexicon/HEUTE").json().get("revision"):  # run alone: make the revision
        sign = {**sign_file("HEUTE"), "duration": 0.77}
        assert client.request("POST", "/v1/lexicon/HEUTE/review", {"reviewer": "Dana"}, EDITOR_AUTH).status_code == 200
        assert client.request("POST", "/v1/lexicon/HEUTE/revisions",
                              {"editor": "Anna", "reason": "langsamer", "sign": sign}, EDITOR_AUTH).status_code == 201
    assert client.request("POST", "/v1/lexicon/HEUTE/revert", body, AUTH).status_code == 403
    assert client.request("POST", "/v1/lexicon/HEUTE/revert", {"editor": "Ben"}, EDITOR_AUTH).status_code == 422
    r = client.request("POST", "/v1/lexicon/HEUTE/revert", body, EDITOR_AUTH)
    assert r.status_code == 201, r.text
    heute = client.request("GET", "/v1/lexicon/HEUTE").json()
    assert heute["duration"] != 0.77 and heute["reviewed"] is True and heute["review"]["state"] == "approved"
    full = client.request("GET", "/v1/lexicon/HEUTE/revisions", headers=EDITOR_AUTH).json()["revisions"]
    assert full[-1]["revision"] == r.json()["revision"] and full[-1]["editor"] == "Ben"
    again = client.request("POST", "/v1/lexicon/HEUTE/revert", body, EDITOR_AUTH)
    assert again.status_code == 400 and "no version of this sign" in again.json()["detail"]


def test_export_and_import_between_two_cities(client: Client, lexicon_copy: Path, tmp_path: Path) -> None:
    shipped = tree_digest(lexicon_copy)
    sign = {**sign_file("KOMMEN"), "duration": 0.66}
    assert client.request("POST", "/v1/lexicon/KOMMEN/revisions", {"editor": "Anna", "reason": "r", "sign": sign},
                          EDITOR_AUTH).status_code == 201
    assert client.request("GET", "/v1/lexicon/export").status_code == 401
    assert client.request("GET", "/v1/lexicon/export", headers=AUTH).status_code == 403
    r = client.request("GET", "/v1/lexicon/export?name=Hamburg", headers=EDITOR_AUTH)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["name"] == "Hamburg" and "KOMMEN" in {s["gloss"] for s in manifest["signs"]}

    other = Client(Settings(data_dir=tmp_path / "bremen", lexicon_dir=lexicon_copy, api_key=TEST_API_KEY,
                            editor_key=TEST_EDITOR_KEY))
    post = other.post_bytes
    assert post("/v1/lexicon/import?editor=Dora", r.content, AUTH).status_code == 403
    assert post("/v1/lexicon/import", r.content, EDITOR_AUTH).status_code == 422  # who imports
    junk = post("/v1/lexicon/import?editor=Dora", b"x" * 100_000, EDITOR_AUTH)  # over the JSON limit, a package's
    assert junk.status_code == 400 and "not a .zip" in junk.json()["detail"]
    assert other.request("GET", "/v1/lexicon/KOMMEN").json()["revision"] == 0
    done = post("/v1/lexicon/import?editor=Dora", r.content, EDITOR_AUTH)
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["imported"] == len(manifest["signs"]) and out["skipped"] == []
    listed = other.request("GET", "/v1/lexicon").json()
    assert out["lexicon_version"] == manifest["lexicon_version"] == listed["version"]
    kommen = other.request("GET", "/v1/lexicon/KOMMEN/revisions", headers=EDITOR_AUTH).json()["revisions"]
    assert [(x["editor"], x["reason"]) for x in kommen] == [("Dora", f"imported from {out['package']}")]
    assert post("/v1/lexicon/import?editor=Dora", r.content, EDITOR_AUTH).json()["imported"] == 0
    too_big = post("/v1/lexicon/KOMMEN/revisions", b"{" + b" " * 100_000 + b"}", EDITOR_AUTH)
    assert too_big.status_code == 413  # the larger limit is the import's alone
    assert tree_digest(lexicon_copy) == shipped
