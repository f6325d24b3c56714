"""What the German editor shows of a translation comes in German: the translator's warnings and the
note on approved glosses from the translation memory, through a real `signavatar serve` (real
pipeline, real translation memory file) on loopback — GET /v1/gloss is what the editor's
"Übersetzen" calls (api/static/editor/editor.js shows its `warnings` as "Hinweise")."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from real_server import EDITOR_AUTH, real_service  # noqa: E402
from signavatar.messages import date_of  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with real_service(tmp_path_factory.mktemp("service")) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_fingerspelling_warnings_are_german(client: httpx.Client) -> None:
    r = client.get("/v1/gloss", params={"text": "Mein Notar heißt Meier. Schreiben Sie an info@stadt.de."})
    assert r.status_code == 200, r.text
    assert r.json()["warnings"][:3] == [
        "„Notar“ ist nicht im Lexikon: wird gebuchstabiert",
        "„Meier“ ist ein Name, nicht im Lexikon: wird gebuchstabiert",
        "„info@stadt.de“ ist eine E-Mail-Adresse (@ und Punkte werden nicht gebärdet): wird gebuchstabiert",
    ]


def test_approved_glosses_say_so_in_german_without_the_editors_name(client: httpx.Client) -> None:
    text = "Ich brauche einen neuen Personalausweis."
    body = {"text": text, "glosses": "PERSONALAUSWEIS NEU ICH BRAUCHEN", "editor": "anna"}
    approved = client.post("/v1/memory", json=body, headers=EDITOR_AUTH)
    assert approved.status_code == 201, approved.text
    day = date_of(approved.json()["approved_at"])
    exact = client.get("/v1/gloss", params={"text": text}).json()
    assert exact["gloss_string"] == "PERSONALAUSWEIS NEU ICH BRAUCHEN"
    assert exact["warnings"] == [f"aus dem Übersetzungsgedächtnis (freigegeben am {day})"]
    fuzzy = client.get("/v1/gloss", params={"text": "Ich brauche den neuen Personalausweis."}).json()
    assert fuzzy["warnings"] == [f"aus dem Übersetzungsgedächtnis (freigegeben am {day}, ähnlicher Satz „{text}“)"]
    assert "anna" not in str(exact) + str(fuzzy)  # public answers: who approved is for editors only
