"""Response bodies of the HTTP API, for /openapi.json (handlers build plain dicts of these shapes;
tests/api/test_schemathesis.py checks that the answers conform)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    """Every 4xx/5xx answer: what went wrong and what to change."""

    detail: str


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str


class SenseOptionOut(BaseModel):
    glosses: str = Field(description="the sign(s) of this sense as the gloss string writes them (fs-NAME where the "
                         "lexicon has no sign yet)")
    label: str = Field(description="what this sense means, in German")
    chosen: bool = Field(description="the translation took this sense")


class SenseOut(BaseModel):
    """Which sense of a word the translator took (glosses/SENSES.md), and the others to choose from."""

    lemma: str
    label: str
    options: list[SenseOptionOut]


class GlossOut(BaseModel):
    gloss: str
    words: list[str]
    kind: str
    nonmanual: list[str]
    mouthing: str | None = Field(
        default=None, description="what the sign mouths: a German word, or a mouth gesture (pf, mm, sch, ts; none: "
        "no mouth picture). GET /v1/gloss and POST /v1/preview: always; a clip's glosses: only an editor's choice")
    mouthing_source: Literal["editor", "lexicon", "default"] | None = Field(
        default=None, description="who chose the mouthing: the gloss string (GLOSS{mouthing}), the sign's lexicon "
        "entry, or neither (the word the gloss names); GET /v1/gloss and POST /v1/preview only")
    caption: str | None = Field(
        default=None, description="the gloss as the captions show it to viewers: a fingerspelled word letter by "
        "letter (fs-MEIER: M-E-I-E-R, SCH one letter), other glosses and numbers as they are; GET /v1/gloss and "
        "POST /v1/preview only")
    sense: SenseOut | None = Field(
        default=None, description="only for a sign the translator's sense layer chose (a synonym, or a sense by "
        "context): the word's lemma, the sense taken and the entry's senses; GET /v1/gloss only")


class ClipUrlsOut(BaseModel):
    """Paths (relative to the service) of a stored clip's files."""

    video: str
    subtitles: str
    poster: str
    metadata: str
    status: str
    pose: str | None = Field(default=None, description="only when the clip was asked for with options.pose")
    motion: str | None = Field(
        default=None, description="the motion as glTF for the 3D player (GET /v1/avatar); clips rendered since then"
    )


class ClipStatusOut(BaseModel):
    """A clip's state: queued/running/failed (with status_url, and detail when failed) or done (with urls)."""

    id: str = Field(pattern=r"^[0-9a-f]{32}$")
    status: Literal["queued", "running", "done", "failed"]
    status_url: str | None = None
    detail: str | None = Field(default=None, description="why the job failed")
    urls: ClipUrlsOut | None = None
    glosses: list[GlossOut] | None = None
    gloss_string: str | None = None
    sentence_type: str | None = None
    warnings: list[str] | None = None
    duration: float | None = Field(default=None, description="seconds")
    frame_count: int | None = None
    format: str | None = None
    machine_generated: bool | None = None
    review_state: str | None = None
    notice: str | None = None


class GlossSequenceOut(BaseModel):
    glosses: list[GlossOut]
    gloss_string: str
    sentence_type: str
    source_text: str
    warnings: list[str]
    machine_generated: bool
    notice: str


class MemoryEntryOut(BaseModel):
    text: str
    glosses: str
    approved_by: str | None = Field(default=None, description="the editor's name: for the editor key only")
    approved_at: str
    comment: str | None = Field(default=None, description="for the editor key only")


class MemoryMatchOut(MemoryEntryOut):
    match: Literal["exact", "fuzzy"]
    similarity: float


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error statuses, each with the ErrorOut body."""
    text = {
        400: "the request is invalid; detail says what to change", 401: "missing or wrong API key",
        404: "no such clip or file", 411: "the body must have a Content-Length",
        413: "the body is too large", 416: "the byte range is outside the file",
        422: "the body or a parameter does not match the schema",
        429: "the queue is full, or too many translations from one address; retry after Retry-After s",
        403: "the key may not do this (an editor key is needed), or a write from a foreign page's origin",
        409: "the clip is not rendered yet", 421: "the Host header names a server this service is not",
        503: "busy translating (too many translations waiting), or the server could not store the change; "
             "retry after Retry-After s",
        507: "the clip store is full (store_max_bytes) or the disk is",
    }
    return {code: {"model": ErrorOut, "description": text.get(code, "error")} for code in codes}
