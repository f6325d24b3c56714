"""The sense layer in the editor's JSON (api/gloss_tokens.py sense_field): GET /v1/gloss gives a sign
the translator took from glosses/senses.json a `sense` (the word's lemma, the sense taken, every sense
of the entry with its signs as the gloss string writes them), and another sense's signs are a gloss
string the service takes back (POST /v1/preview). A real `signavatar serve` on loopback, real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from real_server import AUTH, real_service
from signavatar.text_to_gloss.sense_data import sense_table


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_service(tmp_path_factory.mktemp("senses")) as base:
        yield base


def gloss(url: str, text: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{url}/v1/gloss", params={"text": text}, timeout=30)
    assert r.status_code == 200, r.text
    tokens: list[dict[str, Any]] = r.json()["glosses"]
    return tokens


def test_a_synonym_shows_its_word_the_sense_taken_and_the_others(url: str) -> None:
    tokens = gloss(url, "Sie können den Termin telefonisch buchen.")
    by_gloss = {t["gloss"]: t for t in tokens}
    assert by_gloss["DU"]["sense"] is None and by_gloss["TERMIN"]["sense"] is None
    booked = by_gloss["VEREINBAREN"]["sense"]
    assert booked["lemma"] == "buchen" and booked["label"] == "einen Termin buchen"
    assert [(o["glosses"], o["chosen"]) for o in booked["options"]] == [("VEREINBAREN", True), ("BEZAHLEN", False)]
    assert all(o["label"] for o in booked["options"])
    phone = by_gloss["TELEFON"]["sense"]
    assert phone == {"lemma": "telefonisch", "label": "Synonym",
                     "options": [{"glosses": "TELEFON", "label": "Synonym", "chosen": True}]}


def test_a_word_of_several_senses_offers_every_signed_sense(url: str) -> None:
    tokens = gloss(url, "Geben Sie uns Bescheid.")
    informed = [t for t in tokens if t.get("sense")]
    assert len(informed) == 1 and informed[0]["words"] == ["Bescheid"]
    sense = informed[0]["sense"]
    assert sense["lemma"] == "bescheid" and sense["label"] == "Bescheid sagen/geben: informieren"
    entry = sense_table()["bescheid"]
    assert [o["label"] for o in sense["options"]] == [s.label for s in entry.senses if s.glosses]
    assert [o["chosen"] for o in sense["options"]].count(True) == 1
    # a sign the lexicon does not have yet is offered as the gloss string writes it: spelled
    assert all(o["glosses"] in (s.glosses[0], f"fs-{s.glosses[0]}") for o, s in zip(sense["options"], entry.senses))
    assert informed[0]["gloss"] == next(o["glosses"] for o in sense["options"] if o["chosen"])


def test_another_sense_is_a_gloss_string_the_service_takes(url: str) -> None:
    tokens = gloss(url, "Sie können den Termin telefonisch buchen.")
    other = next(o["glosses"] for t in tokens if t.get("sense") for o in t["sense"]["options"] if not o["chosen"])
    glosses = " ".join(other if t["gloss"] == "VEREINBAREN" else t["gloss"] for t in tokens)
    assert glosses == "DU TERMIN TELEFON BEZAHLEN KÖNNEN"
    r = httpx.post(f"{url}/v1/preview", json={"glosses": glosses}, headers=AUTH, timeout=60)
    assert r.status_code == 200, r.text
    assert [t["gloss"] for t in r.json()["glosses"]] == glosses.split()
    assert all(t.get("sense") is None for t in r.json()["glosses"])  # an editor's string: no translator choice


def test_openapi_describes_the_sense(url: str) -> None:
    schema = httpx.get(f"{url}/openapi.json", timeout=10).json()
    assert "sense" in schema["components"]["schemas"]["GlossOut"]["properties"]
    assert set(schema["components"]["schemas"]["SenseOptionOut"]["properties"]) == {"glosses", "label", "chosen"}
