"""Every sign's mouthing (Mundbild) in the editor's JSON (api/gloss_tokens.py): GET /v1/gloss and
POST /v1/preview give each token `mouthing` and `mouthing_source`; an editor's mouthing travels in the
gloss string (`GUT{pf}`) through the preview, the clips and the translation memory. The real app and
pipeline, in-process over ASGI (tests/real_fuzz.py real_app: the job queue holds jobs unrendered)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.gloss_tokens import mouthing_source
from fake_server import AUTH, EDITOR_AUTH
from real_fuzz import HOST, real_app
from signavatar.types import GlossToken

SIGNS = Path(__file__).resolve().parents[2] / "glosses" / "signs"
TOKEN_KEYS = {"gloss", "words", "kind", "nonmanual", "mouthing", "mouthing_source", "caption"}
GLOSS_TOKEN_KEYS = TOKEN_KEYS | {"sense"}  # GET /v1/gloss: null unless the translator's sense layer chose the sign


def lexicon_mouthing(gloss: str) -> str:
    return str(json.loads((SIGNS / f"{gloss}.json").read_text(encoding="utf-8"))["mouthing"])


class Client:
    """Requests to the real app in this process (tests/real_fuzz.py real_app: its job queue holds the
    jobs, never renders them)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def send(self, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
        """One request; no lifespan, so no job queue (all but POST /v1/clips)."""
        return self.send_all([(method, path, headers, kwargs)], lifespan=False)[0]

    def send_all(self, calls: list[tuple[str, str, dict[str, str], dict[str, Any]]],
                 lifespan: bool = True) -> list[httpx.Response]:
        """Requests in order, inside one lifespan of the app (the job queue open) unless not `lifespan`."""

        async def go() -> list[httpx.Response]:
            async with AsyncExitStack() as stack:
                if lifespan:
                    await stack.enter_async_context(self.app.router.lifespan_context(self.app))
                c = await stack.enter_async_context(
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=f"http://{HOST}"))
                return [await c.request(m, p, headers=h, **kw) for m, p, h, kw in calls]

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    with real_app(tmp_path_factory.mktemp("mouthing")) as app:
        yield Client(app)


def by_gloss(tokens: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {t["gloss"]: (t["mouthing"], t["mouthing_source"]) for t in tokens}


def test_gloss_gives_every_token_its_mouthing_and_where_it_comes_from(client: Client) -> None:
    r = client.send("GET", "/v1/gloss", AUTH, params={"text": "Herr Meier kommt um 17 Uhr, das Amt ist geöffnet."})
    assert r.status_code == 200, r.text
    tokens = r.json()["glosses"]
    assert all(set(t) == GLOSS_TOKEN_KEYS for t in tokens), tokens
    got = by_gloss(tokens)
    # the lexicon's own mouthing, also where it is not the gloss's word (ÖFFNEN mouths "offen")
    assert got["ÖFFNEN"] == (lexicon_mouthing("ÖFFNEN"), "lexicon") and lexicon_mouthing("ÖFFNEN") != "öffnen"
    assert got["KOMMEN"] == ("kommen", "lexicon")
    # a fingerspelled name mouths the whole name, a number itself: defaults, not the lexicon's
    assert got["fs-MEIER"] == ("meier", "default") and got["17"] == ("17", "default")
    # what viewers will read in the captions: the spelled word letter by letter, the rest as it is
    captions = {t["gloss"]: t["caption"] for t in tokens}
    assert captions["fs-MEIER"] == "M-E-I-E-R" and captions["17"] == "17" and captions["KOMMEN"] == "KOMMEN"
    assert not any(t["mouthing_source"] == "editor" for t in tokens)  # a translation chooses no mouthing
    assert "{" not in r.json()["gloss_string"]


def test_preview_takes_the_editors_mouthing_from_the_gloss_string(client: Client) -> None:
    glosses = "TERMIN{Termine} GUT{pf} KOMMEN{none} ÖFFNEN fs-ANNA"
    r = client.send("POST", "/v1/preview", AUTH, json={"glosses": glosses})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["gloss_string"] == "TERMIN{termine} GUT{pf} KOMMEN{none} ÖFFNEN fs-ANNA"
    assert [(t["gloss"], t["mouthing"], t["mouthing_source"]) for t in body["tokens"]] == [
        ("TERMIN", "termine", "editor"), ("GUT", "pf", "editor"), ("KOMMEN", "none", "editor"),
        ("ÖFFNEN", "offen", "lexicon"), ("fs-ANNA", "anna", "default"),
    ]
    assert body["tokens"] == body["glosses"] and all(set(t) == TOKEN_KEYS for t in body["tokens"])
    assert body["frames"] and "GUT" in body["labels"]
    assert [t["caption"] for t in body["tokens"]] == ["TERMIN", "GUT", "KOMMEN", "ÖFFNEN", "A-N-N-A"]


BAD = [
    ("GUT{}", ["mouthing of 'GUT' is empty"]),
    ("GUT{pf KOMMEN", ["'GUT{pf' has no closing '}'"]),
    ("GUT{gut1}", ["'gut1'", "not one word", "pf, mm, sch, ts, none"]),
    ("GUT{pf}KOMMEN", ["nothing may follow"]),
]


def test_a_bad_mouthing_is_a_400_saying_what_to_write(client: Client) -> None:
    calls = [(path, {"glosses": glosses}) for glosses, _ in BAD for path in ("/v1/preview", "/v1/clips")]
    answers = client.send_all([("POST", path, AUTH, {"json": body}) for path, body in calls])
    for (path, body), r in zip(calls, answers, strict=True):
        words = dict(BAD)[body["glosses"]]
        assert r.status_code == 400, (path, body, r.text)
        assert all(w in r.json()["detail"] for w in words), (path, r.json())


def test_a_clip_with_another_mouthing_is_another_clip(client: Client) -> None:
    glosses = ("TERMIN GUT", "TERMIN GUT{pf}", "TERMIN GUT{mm}")
    answers = client.send_all([("POST", "/v1/clips", AUTH, {"json": {"glosses": g, "options": {"width": 64,
                                                                                              "height": 64}}})
                               for g in glosses])
    assert [r.status_code for r in answers] == [202] * 3, [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 3  # a changed mouthing is rendered anew, not the old clip


def test_an_approved_mouthing_comes_back_from_the_translation_memory(client: Client) -> None:
    text = "Der Termin ist gut."
    stored = client.send("POST", "/v1/memory", EDITOR_AUTH,
                         json={"text": text, "glosses": "termin{termin} GUT{PF}", "editor": "E. Ditor"})
    assert stored.status_code == 201, stored.text
    assert stored.json()["glosses"] == "TERMIN{termin} GUT{pf}"
    r = client.send("GET", "/v1/gloss", AUTH, params={"text": text})
    assert r.status_code == 200, r.text
    assert by_gloss(r.json()["glosses"]) == {"TERMIN": ("termin", "editor"), "GUT": ("pf", "editor")}
    assert r.json()["gloss_string"] == "TERMIN{termin} GUT{pf}"


@pytest.mark.parametrize("token,lexicon,want", [
    (GlossToken("GUT", mouthing="pf"), "gut", "editor"),
    (GlossToken("GUT", mouthing="gut"), "gut", "editor"),  # chosen as the lexicon has it: still the editor's
    (GlossToken("ÖFFNEN"), "offen", "lexicon"),
    (GlossToken("TERMIN"), "termin", "lexicon"),  # the lexicon names the gloss's own word
    (GlossToken("TERMIN"), None, "default"),
    (GlossToken("fs-MEIER", kind="fingerspell"), None, "default"),
    (GlossToken("17", kind="number"), "siebzehn", "default"),  # a number mouths itself before the lexicon
])
def test_mouthing_source_follows_chosen_mouthing(token: GlossToken, lexicon: str | None, want: str) -> None:
    assert mouthing_source(token, lexicon) == want
