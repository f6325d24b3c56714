"""Fuzz the REAL translator over HTTP (tests/real_fuzz.py): the app with the real pipeline (HanTa
tagging, rules, translation memory, gloss parser), in-process over ASGI, on the operations that
translate or parse: GET /v1/gloss, POST /v1/preview, POST /v1/clips, POST /v1/memory.

Three parts, all reproducible (hypothesis derandomized, no example database):
  - schemathesis from the app's own OpenAPI document, valid and malformed requests per operation;
  - a property test with German-like texts and gloss strings (words of the lexicon, numbers,
    fingerspelling, hostile pieces), which random strings almost never are;
  - hand-written hostile texts and glosses (tests/real_fuzz.py HOSTILE_TEXTS, HOSTILE_GLOSSES).
Every answer: no 5xx, a 4xx has a JSON `detail` string, answered within BOUND_S.
benchmarks/fuzz_real.py runs the same with many more examples.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from real_fuzz import (
    HEADERS,
    HOSTILE_GLOSSES,
    HOSTILE_TEXTS,
    OPERATIONS,
    SURROGATE_TEXTS,
    german_text,
    gloss_string,
    problems,
    real_app,
)

EXAMPLES = 30  # per operation and mode (schemathesis), and for each property test
BOUND_S = 5.0  # seconds one answer may take on a loaded 2-core machine (most take < 0.1 s)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                database=None)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with real_app(tmp_path_factory.mktemp("data")) as application:
        yield application


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[requests.Session]:
    """An in-process client of the app; warms the real pipeline up (lexicon, tagger, avatar) once
    and makes sure it is the real one, not the fake (tests/fake_pipeline.py upper-cases words): the
    rules drop the article and order the glosses as DGS does (asked before the fuzzing fills the
    translation memory)."""
    with asgi.get_client(app) as c:
        c.headers.update(HEADERS)
        assert c.get("/v1/gloss", params={"text": "Ich brauche einen Termin."}).json()["gloss_string"] == \
            "ICH TERMIN BRAUCHEN"
        assert c.post("/v1/clips", json={"glosses": "TERMIN"}).status_code in (200, 202)
        yield c


def call(client: requests.Session, method: str, path: str, **kwargs: Any) -> requests.Response:
    start = time.monotonic()
    r = client.request(method, path, timeout=60, **kwargs)
    found = problems(r.status_code, r.content, time.monotonic() - start, BOUND_S)
    assert not found, (method, path, kwargs, found)
    return r


# ---- schemathesis ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "malformed"])
@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_schemathesis_on_the_real_pipeline(
    app: Any, client: requests.Session, path: str, method: str, mode: GenerationMode,
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(with_security_parameters=False)
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ
    def run(case: schemathesis.Case) -> None:
        start = time.monotonic()
        r = case.call_and_validate(headers=HEADERS, timeout=60, checks=CHECKS)
        found = problems(r.status_code, r.content, time.monotonic() - start, BOUND_S)
        assert not found, (case.as_curl_command(), found)

    run()


# ---- German-like input ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lexicon_glosses(client: requests.Session) -> list[str]:
    glosses = [sign["gloss"] for sign in call(client, "GET", "/v1/lexicon").json()["signs"]]
    assert len(glosses) > 10
    return glosses


def test_german_like_texts(client: requests.Session) -> None:
    @given(text=german_text(), speed=st.sampled_from([0.25, 1.0, 4.0]))
    @FUZZ
    def run(text: str, speed: float) -> None:
        assert call(client, "GET", "/v1/gloss", params={"text": text}).status_code in (200, 400)
        assert call(client, "POST", "/v1/preview", json={"text": text, "speed": speed}).status_code in (200, 400)
        assert call(client, "POST", "/v1/clips", json={"text": text}).status_code in (200, 202, 400)

    run()


def test_gloss_strings_and_memory_entries(client: requests.Session, lexicon_glosses: list[str]) -> None:
    """Gloss strings through the parser, approved into the memory for a German-like text, and that
    text translated again (the memory's match, then the parser once more)."""

    @given(glosses=gloss_string(lexicon_glosses), text=german_text())
    @FUZZ
    def run(glosses: str, text: str) -> None:
        assert call(client, "POST", "/v1/preview", json={"glosses": glosses}).status_code in (200, 400)
        assert call(client, "POST", "/v1/clips", json={"glosses": glosses}).status_code in (200, 202, 400)
        memory = {"text": text, "glosses": glosses, "editor": "Fuzz", "comment": text[:2000]}
        if call(client, "POST", "/v1/memory", json=memory).status_code == 201:
            assert call(client, "GET", "/v1/gloss", params={"text": text}).status_code in (200, 400)
            assert call(client, "POST", "/v1/clips", json={"text": text}).status_code in (200, 202, 400)

    run()


# ---- hand-written hostile input -------------------------------------------------------------------

def _post_escaped(client: requests.Session, path: str, body: dict[str, Any]) -> requests.Response:
    """POST `body` as ASCII JSON: lone surrogates travel as \\ud800 escapes."""
    return call(client, "POST", path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})


@pytest.mark.parametrize("text", [*HOSTILE_TEXTS.values(), *SURROGATE_TEXTS.values()],
                         ids=[*HOSTILE_TEXTS.keys(), *SURROGATE_TEXTS.keys()])
def test_hostile_texts(client: requests.Session, text: str) -> None:
    as_utf8 = text.encode("utf-8", "replace").decode()  # a query string cannot carry a lone surrogate
    assert call(client, "GET", "/v1/gloss", params={"text": as_utf8}).status_code in (200, 400)
    assert _post_escaped(client, "/v1/preview", {"text": text}).status_code in (200, 400)
    assert _post_escaped(client, "/v1/clips", {"text": text}).status_code in (200, 202, 400)
    approved = _post_escaped(client, "/v1/memory", {"text": text, "glosses": "TERMIN ICH", "editor": "Fuzz",
                                                    "comment": text[:2000]})
    assert approved.status_code in (201, 400, 422)
    if approved.status_code == 201:  # the memory's entry is used when the text is translated again
        assert call(client, "GET", "/v1/gloss", params={"text": as_utf8}).status_code in (200, 400)
        assert _post_escaped(client, "/v1/preview", {"text": text}).status_code in (200, 400)


@pytest.mark.parametrize("glosses", HOSTILE_GLOSSES.values(), ids=HOSTILE_GLOSSES.keys())
def test_hostile_glosses(client: requests.Session, glosses: str) -> None:
    assert _post_escaped(client, "/v1/preview", {"glosses": glosses}).status_code in (200, 400)
    assert _post_escaped(client, "/v1/clips", {"glosses": glosses}).status_code in (200, 202, 400)
    text = f"Ein Satz für {len(glosses)} Zeichen Glossen"
    approved = _post_escaped(client, "/v1/memory", {"text": text, "glosses": glosses, "editor": "Fuzz"})
    assert approved.status_code in (201, 400)
    if approved.status_code == 201:  # approved glosses must parse again when the text is translated
        assert call(client, "GET", "/v1/gloss", params={"text": text}).status_code == 200
        assert _post_escaped(client, "/v1/clips", {"text": text}).status_code in (200, 202, 400)

