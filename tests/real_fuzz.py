"""Fuzzing the REAL translator over HTTP: the service app (api/app.py create_app) with the real
pipeline (signavatar/pipeline.py: HanTa tagging, the rules, the translation memory, the gloss
parser), called in-process over ASGI. Shared by tests/api/test_fuzz_real_translator.py (a bounded,
derandomized run in the suite) and benchmarks/fuzz_real.py (a long run).

The operations fuzzed are those that translate or parse: GET /v1/gloss, POST /v1/preview,
POST /v1/clips (text and glosses), POST /v1/memory (editor key). POST /v1/clips queues a render
once the text is translated and planned; here the job queue is the real SQLite job table with no
worker processes (HeldQueue): a job is queued (202) and never rendered, so thousands of requests
cost only their translation.

Each answer is checked by `problems`: no 5xx, a 4xx carries a JSON `detail` string, and it came
within `bound_s` seconds; schemathesis checks the statuses, content types and bodies against the
app's OpenAPI document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import strategies as st

from fake_server import EDITOR_AUTH, TEST_API_KEY, TEST_EDITOR_KEY
from signavatar.jobs.job_table import JobRecord
from signavatar.jobs.queue import JobQueue
from signavatar.jobs.queue_backend import QueueBackend
from signavatar.settings import Settings
from signavatar.types import ClipRequest

#: (path, method) of the operations that translate German text or parse glosses
OPERATIONS = (("/v1/gloss", "get"), ("/v1/preview", "post"), ("/v1/clips", "post"), ("/v1/memory", "post"))
HOST = "testserver"  # the Host the in-process client sends (schemathesis.python.asgi.HOST)
HEADERS = EDITOR_AUTH  # the editor key may do everything the API key may, and /v1/gloss is then not rate-limited


class HeldQueue(JobQueue):
    """The real job table, no workers: submit queues the job (202), nothing ever renders it."""

    def start(self) -> None:
        self._open_table()

    def close(self, *, wait: bool = True, grace_s: float = 10.0) -> None:
        pass

    def submit(self, clip_id: str, request: ClipRequest, plan: Mapping[str, Any] | None = None) -> JobRecord:
        return self._queue(clip_id, request, plan)[0]


def _held_queue(settings: Settings, store: Any, front: Any, pipeline_factory: Any) -> QueueBackend:
    from signavatar.jobs.clip_job import clip_job_factory

    return HeldQueue(settings.data_dir / "jobs.sqlite", clip_job_factory(settings, pipeline_factory),
                     max_queue=settings.max_queue, failed_retry_after_s=settings.failed_retry_after_s)


def fuzz_settings(data_dir: Path) -> Settings:
    """The service's defaults (limits included) with both keys, the in-process Host and room for
    every job the fuzzing queues."""
    return Settings(data_dir=data_dir, api_key=TEST_API_KEY, editor_key=TEST_EDITOR_KEY, allowed_hosts=HOST,
                    max_queue=10**9, log_format="text")


@contextmanager
def real_app(data_dir: Path) -> Iterator[Any]:
    """The service app with the real pipeline (made on the first request) and a HeldQueue."""
    from api.app import create_app

    with mock.patch("api.app.make_queue", _held_queue):
        app = create_app(fuzz_settings(data_dir))
    yield app


def problems(status: int, body: bytes, elapsed_s: float, bound_s: float) -> list[str]:
    """What is wrong with one answer: a 5xx, a 4xx without a JSON `detail` string, too slow."""
    found = []
    if status >= 500:
        found.append(f"server error {status}: {body[:300]!r}")
    elif status >= 400:
        try:
            detail = json.loads(body).get("detail")
        except (ValueError, AttributeError):
            detail = None
        if not isinstance(detail, str) or not detail:
            found.append(f"{status} without a JSON detail string: {body[:300]!r}")
    if b"Traceback" in body:
        found.append("a traceback in the answer")
    if elapsed_s > bound_s:
        found.append(f"answered in {elapsed_s:.2f} s (bound {bound_s} s)")
    return found


# ---- hand-written hostile input aimed at the translator and the gloss parser ----------------------

HOSTILE_TEXTS = {
    "long_compound": "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
    "compound_chain": "Personalausweisantragsformularausfüllhilfe" * 20,
    "word_of_2000_chars": "a" * 2000,
    "umlaut_word_of_2000_chars": "ä" * 2000,
    "mixed_scripts": "Ich brauche einen Termin Москва 東京 Ελλάδα बैठक",
    "rtl_arabic_hebrew": "Ich brauche مرحبا einen שלום Termin",
    "bidi_override": "Ich \u202ebrauche\u202c einen \u2066Termin\u2069.",
    "combining_marks": "Te\u0301\u0302\u0303rmin i\u0308ch bra\u0308uche",
    "zalgo": "T" + "\u0336\u0337\u0338" * 300 + "ermin",
    "emoji": "Ich 👋🏽 brauche 👨‍👩‍👧‍👦 einen Termin 🇩🇪",
    "number_30_digits": "Ich brauche 123456789012345678901234567890 Termine.",
    "number_60_digits": "Ich habe " + "9" * 60 + " Euro.",
    "numbers_with_separators": "Am 1.000.000,50 Euro 3,14159 und 1e400 und -0 und 0x1F",
    "ordinals_and_dates": "Am 31.12.2026 um 23:59 Uhr, am 1. und 99999999999. Tag",
    "email": "Schreiben Sie an max.mustermann@beispiel.de bitte.",
    "url": "Siehe https://www.bund.de/DE/Home/home_node.html?x=1&y=ä#top jetzt",
    "control_characters": "Ich\x00brauche\x01einen\x1b[31mTermin\x7f\x9f",
    "line_separators": "Ich brauche\u2028einen\u2029Termin\r\n\tjetzt\x0b\x0c",
    "zero_width": "Ich\u200bbrauche\u200ceinen\u200dTermin\ufeff",
    "only_punctuation": "?!.,;:-–—…«»„“",
    "question_marks_only": "???",
    "fullwidth_and_math": "Ｉｃｈ ｂｒａｕｃｈｅ 𝐓𝐞𝐫𝐦𝐢𝐧",
    "ligatures_and_sharp_s": "Straße STRASSE ẞ ﬁnden ﬀ",
    "turkish_i": "İstanbul ıİ Iı",
    "private_use_and_noncharacters": "Termin \ue000\uf8ff\ufdd0\uffff\U0010ffff",
    "many_short_words": "ich " * 499,
    "many_sentences": "Ja. " * 499,
    "gloss_looking_text": "fs-ABC NUM-12 TERMIN ICH BRAUCHEN ++ // ## [] {}",
    "quotes_and_brackets": "\"Ich\" 'brauche' (einen) [Termin] {jetzt} <b>html</b> &amp;",
    "hyphens_and_slashes": "E-Mail-Adresse/Telefon-Nr.---///\\\\",
}

#: texts that cannot travel in UTF-8: sent as JSON escapes (the body is ASCII)
SURROGATE_TEXTS = {
    "lone_high_surrogate": "Ich brauche \ud800 Termin",
    "lone_low_surrogate": "\udfff",
    "reversed_pair": "Termin \udc00\ud800",
}

HOSTILE_GLOSSES = {
    "fs_empty": "fs-",
    "fs_umlauts": "fs-ÄÖÜß",
    "fs_lower_umlauts": "fs-äöüß",
    "fs_long": "fs-" + "A" * 500,
    "fs_digits": "fs-123",
    "fs_emoji": "fs-👋",
    "fs_combining": "fs-A\u0308",
    "num_empty": "NUM-",
    "num_20_digits": "NUM-12345678901234567890",
    "num_negative": "NUM--5",
    "num_letters": "NUM-ABC",
    "bare_20_digits": "12345678901234567890",
    "bare_60_digits": "9" * 60,
    "bare_zero": "0",
    "lower_case": "termin ich",
    "unknown": "QUATSCHWORT",
    "operators_only": "++ // ## --",
    "markers": "TERMIN++ ICH? BRAUCHEN! [neg] {q}",
    "gloss_of_2000_chars": "A" * 2000,
    "many_glosses": "TERMIN " * 61,
    "mixed_valid_and_junk": "TERMIN \x00 ICH \u202e BRAUCHEN",
    "unicode_upper": "ÄRZTIN ΣΊΣΥΦΟΣ МОСКВА",
    "dashes": "- -- --- TERMIN-",
}


def german_text() -> st.SearchStrategy[str]:
    """Texts the rules actually work on: German words, numbers, punctuation and hostile pieces mixed."""
    words = st.sampled_from([
        "Ich", "brauche", "einen", "neuen", "Termin", "Personalausweis", "nicht", "heute", "morgen", "Sie",
        "wir", "haben", "kein", "Geld", "wann", "wo", "warum", "Bürgeramt", "Straße", "Kind", "Kinder", "möchte",
        "können", "Antrag", "Formular", "ausfüllen", "abholen", "geöffnet", "Uhr", "Euro", "Jahre", "alt", "und",
        "oder", "aber", "der", "die", "das", "dem", "den", "zum", "am", "um", "im", "ja", "nein", "bitte",
    ])
    numbers = st.integers(min_value=-10**40, max_value=10**40).map(str)
    hostile = st.sampled_from(list(HOSTILE_TEXTS.values())).map(lambda t: t[:200])
    piece = st.one_of(words, words, words, numbers, hostile, st.text(max_size=12),
                      st.sampled_from([".", "?", "!", ",", "-", "…", "\u200b", "\u0301"]))
    return st.lists(piece, min_size=0, max_size=30).flatmap(
        lambda ps: st.sampled_from([" ", "", "  ", "\n"]).map(lambda sep: sep.join(ps)))


def gloss_string(glosses: list[str]) -> st.SearchStrategy[str]:
    """Gloss strings: the lexicon's glosses (`glosses`), fingerspelling, numbers and junk mixed."""
    piece = st.one_of(
        st.sampled_from(glosses), st.sampled_from(glosses),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜß", max_size=8).map(lambda s: "fs-" + s),
        st.integers(min_value=-10**25, max_value=10**25).map(str),
        st.integers(min_value=0, max_value=10**25).map(lambda n: f"NUM-{n}"),
        st.sampled_from(list(HOSTILE_GLOSSES.values())).map(lambda g: g[:100]),
        st.text(max_size=10),
    )
    return st.lists(piece, min_size=0, max_size=20).map(" ".join)
