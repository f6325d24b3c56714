"""The lexicon's API (the city's lexicon: signavatar/lexicon/city.py, docs/city_lexicon.md).

GET  /v1/lexicon                      every sign with its revision, form and review state
GET  /v1/lexicon/{gloss}              the sign's file, summary, reviews, revisions and approved clips using it
GET  /v1/lexicon/{gloss}/preview.png  a still of the sign
POST /v1/lexicon/{gloss}/review       approve / reject (reason) / propose a fix (in words); editor key
POST /v1/lexicon/{gloss}/revisions    save a new version of the sign into the city's overlay; editor key
GET  /v1/lexicon/{gloss}/revisions    the sign's revisions
GET  /v1/lexicon/export               the city's lexicon as one package (.zip); editor key
POST /v1/lexicon/import?editor=NAME   a package (.zip body) into the city's lexicon; editor key

A review is recorded in the review log, attached to the sign's current form: it writes no file,
keeps the lexicon version and so every clip id (an approved clip stays approved). A revision writes
the overlay under the data dir (never the shipped glosses/) and reloads the service's pipeline, so the
new lexicon version is used. Previews are one still per sign (signavatar/stills/sheet.py), cached
under the data dir by the sign file, handshapes and avatar.

Who reviewed or saved a sign, their comments, reasons and a recording's consent (the signer's name)
are shown to the editor key only; anyone else sees the actions, revision numbers and times.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.auth import Keys, presented_key
from api.responses import error_responses
from api.review import clip_text
from api.review_text import EditorName, EditorNote
from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import is_letter_sign
from signavatar.frames_to_video.atomic import write_bytes_atomic
from signavatar.jobs.store import ClipStore
from signavatar.lexicon import Lexicon, SignEntry
from signavatar.lexicon.city import city_lexicon_version, revert_to_shipped, revision_store, save_revision
from signavatar.lexicon.load import GLOSS_RE, HANDSHAPES_FILE
from signavatar.lexicon.model import NUMBER_PREFIX
from signavatar.lexicon.package import export_package, import_package
from signavatar.lexicon.revisions import Revision
from signavatar.pipeline_protocols import Drawing, ServicePipeline
from signavatar.review import CLIP, SIGN, ReviewEntry, ReviewLog, sign_review
from signavatar.settings import Settings

PREVIEW_SIZE = 160  # pixels, square
PREVIEW_DIR = "lexicon_previews"  # under Settings.data_dir
MAX_USED_IN = 50  # approved clips listed per sign
IMPORT_PATH = "/v1/lexicon/import"  # its body is a package: up to package.MAX_PACKAGE_BYTES (api/app.py)


class SignReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: EditorName = Field(min_length=1, max_length=200, description="who reviews the sign (a name)")
    action: Literal["approved", "rejected", "proposed"] = Field(
        default="approved", description="approved; rejected (give reason); proposed (give the fix as proposal)")
    comment: EditorNote = Field(default="", max_length=2000)
    reason: EditorNote = Field(default="", max_length=2000, description="why the sign is rejected")
    proposal: EditorNote = Field(default="", max_length=2000, description="the fix proposed, in words")


class RevertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: EditorName = Field(min_length=1, max_length=200, description="who reverts the sign (a name)")
    reason: EditorNote = Field(min_length=1, max_length=2000, description="why the shipped sign is used again")


class RevisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: EditorName = Field(min_length=1, max_length=200, description="who saves the sign (a name)")
    reason: EditorNote = Field(min_length=1, max_length=2000, description="why the sign changes")
    sign: dict[str, Any] = Field(description="the sign's JSON, as a file of glosses/signs/ (glosses/SCHEMA.md)")
    consent: dict[str, Any] | None = Field(
        default=None, description="{signer, licence, consent: true} (required for a recorded sign), or {licence}")


def sign_kind(gloss: str) -> str:
    return "letter" if is_letter_sign(gloss) else "number" if gloss.startswith(NUMBER_PREFIX) else "lexical"


def sign_summary(entry: SignEntry, decisions: list[ReviewEntry] | None = None, revision: int = 0,
                 editor: bool = False) -> dict[str, Any]:
    """The sign as listed: what it is, where it comes from (revision 0 = shipped), its form and review
    state for that form (`decisions`: the review log's entries on its gloss)."""
    motion = (
        "definition" if entry.definition is not None else "recording" if entry.recording is not None else "keyframes"
    )
    review = sign_review(entry, decisions or [])
    return {
        "gloss": entry.gloss, "kind": sign_kind(entry.gloss), "lemmas": list(entry.lemmas), "hands": entry.hands,
        "source": entry.source, "description": entry.description, "description_de": entry.description_de,
        "approximation": entry.approximation, "region": entry.region, "motion": motion,
        "revision": revision if entry.in_overlay else 0, "form": entry.form, "reviewed": review.reviewed,
        "review": review.to_dict(editor),
    }


def public_revision(rev: Revision, editor: bool) -> dict[str, Any]:
    """A revision as shown: in full to editors; number, time and form to anyone else."""
    return rev.to_dict() if editor else {"revision": rev.revision, "time": rev.time, "form": rev.form}


class _Shared:
    """What the lexicon routes share: the service's pipeline, the logs and stores, one write lock."""

    def __init__(self, front: Callable[[], ServicePipeline], reload: Callable[[], None], log: ReviewLog,
                 settings: Settings, store: ClipStore | None) -> None:
        self.front, self.reload, self.log, self.settings, self.store = front, reload, log, settings, store
        self.keys = Keys(settings)
        self.revisions = revision_store(settings)
        self.write_lock = threading.Lock()

    def lexicon(self) -> Lexicon:
        return self.front().lexicon

    def is_editor(self, request: Request) -> bool:
        return self.keys.is_editor(presented_key(request.scope["headers"]))

    def entry_of(self, gloss: str) -> SignEntry | JSONResponse:
        lex = self.lexicon()
        entry = lex.get(gloss) or lex.get(gloss.upper())
        if entry is None:
            return JSONResponse(
                {"detail": f"no sign {gloss!r} in the lexicon; GET /v1/lexicon lists every gloss"}, status_code=404
            )
        return entry

    def used_in(self, gloss: str) -> list[dict[str, Any]]:
        """Approved clips (newest decision first) whose glosses contain `gloss`; at most MAX_USED_IN."""
        if self.store is None:
            return []
        approved = [(e[-1].time, cid) for cid, e in self.log.all_entries(CLIP).items() if e[-1].action == "approved"]
        found: list[dict[str, Any]] = []
        for _, cid in sorted(approved, reverse=True):
            meta = self.store.read_metadata(cid) or {}
            glosses = [str(t.get("gloss")) for t in meta.get("glosses", ()) if isinstance(t, dict)]
            if gloss in glosses:
                found.append({"clip_id": cid, "glosses": glosses, "text": clip_text(meta)})
                if len(found) == MAX_USED_IN:
                    break
        return found


def lexicon_router(front: Callable[[], ServicePipeline], reload: Callable[[], None], log: ReviewLog,
                   settings: Settings, require_editor: Any, store: ClipStore | None = None) -> APIRouter:
    """`front` returns the service's pipeline (its lexicon; for stills its avatar and sequencer); `reload` drops
    it so the next request loads the lexicon again; `require_editor`: Depends(...) of the editor key;
    `store`: the clip store, for the approved clips that use a sign."""
    router = APIRouter(tags=["lexicon"])
    shared = _Shared(front, reload, log, settings, store)
    _package_routes(router, shared, require_editor)  # before /v1/lexicon/{gloss}, which would take "export"
    _read_routes(router, shared)
    _preview_route(router, shared)
    _write_routes(router, shared, require_editor)
    return router


def _read_routes(router: APIRouter, shared: _Shared) -> None:
    log, revisions = shared.log, shared.revisions

    @router.get("/v1/lexicon")
    def signs(request: Request) -> dict[str, Any]:
        """Every sign of the lexicon (shipped and the city's) with its review state, sorted by gloss."""
        lex = shared.lexicon()
        decisions = log.all_entries(SIGN)
        numbers = revisions.latest_numbers()
        editor = shared.is_editor(request)
        return {"version": lex.version, "signs": [
            sign_summary(lex.entries[g], decisions.get(g), numbers.get(g, 0), editor) for g in sorted(lex.entries)]}

    @router.get("/v1/lexicon/{gloss}", responses=error_responses(404))
    def sign(gloss: str, request: Request) -> JSONResponse:
        """The sign's file as written, plus its summary, the review log entries, its revisions and
        the approved clips that use it (names, comments, reasons and consent for the editor key)."""
        entry = shared.entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        data = json.loads(entry.path.read_text(encoding="utf-8"))
        editor = shared.is_editor(request)
        decisions = log.entries(SIGN, entry.gloss)
        reviews = [e.to_dict() if editor else {"action": e.action, "time": e.time, "form": e.form}
                   for e in decisions]
        history = revisions.revisions(entry.gloss)
        return JSONResponse({
            **data, **sign_summary(entry, decisions, history[-1].revision if history else 0, editor),
            "reviews": reviews, "revisions": [public_revision(r, editor) for r in history],
            "used_in": shared.used_in(entry.gloss),
        })

    @router.get("/v1/lexicon/{gloss}/revisions", responses=error_responses(404))
    def sign_revisions(gloss: str, request: Request) -> JSONResponse:
        """The sign's revisions in the city's lexicon, oldest first ([] for a shipped sign never changed)."""
        entry = shared.entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        editor = shared.is_editor(request)
        history = revisions.revisions(entry.gloss)
        return JSONResponse({"gloss": entry.gloss, "revision": history[-1].revision if entry.in_overlay and history
                             else 0, "revisions": [public_revision(r, editor) for r in history]})


def _preview_route(router: APIRouter, shared: _Shared) -> None:
    render_lock = threading.Lock()  # one GL context at a time on this small machine

    @router.get("/v1/lexicon/{gloss}/preview.png", response_class=Response, responses={
        200: {"content": {"image/png": {}}, "description": "a still of the sign"}, **error_responses(404)})
    def sign_preview(gloss: str) -> Response:
        entry = shared.entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        pipeline = shared.front()  # its avatar and motion draw the still (signavatar/stills/sheet.py)
        if pipeline.avatar is None:
            raise InvalidInputError("this service's pipeline draws no avatar: it has no still of a sign")
        key = hashlib.sha256(
            entry.path.read_bytes() + b"\0" + (Path(shared.settings.lexicon_dir) / HANDSHAPES_FILE).read_bytes()
            + b"\0" + f"{pipeline.avatar.version}\0{PREVIEW_SIZE}\0{entry.gloss}".encode()
        ).hexdigest()[:24]
        path = Path(shared.settings.data_dir) / PREVIEW_DIR / f"{key}.png"
        if not path.is_file():
            with render_lock:
                if not path.is_file():
                    write_bytes_atomic(path, _render_png(pipeline, entry.gloss))
        return Response(path.read_bytes(), media_type="image/png",
                        headers={"Cache-Control": "no-cache", "ETag": f'"{key}"'})


def _write_routes(router: APIRouter, shared: _Shared, require_editor: Any) -> None:
    @router.post("/v1/lexicon/{gloss}/review", dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 404, 411, 413, 422))
    def review_sign(gloss: str, body: SignReviewIn) -> JSONResponse:
        """Approve the sign's current form, reject it (reason) or propose a fix (proposal, in words).
        Recorded in the review log against the sign's form: no file is written, the lexicon version
        and every clip id stay, and a new revision of the sign starts unreviewed."""
        entry = shared.entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        note = {"approved": body.comment, "rejected": body.reason, "proposed": body.proposal}[body.action]
        comment = "" if body.action == "approved" else body.comment
        with shared.write_lock:
            record = shared.log.record(SIGN, entry.gloss, body.action, body.reviewer, note, form=entry.form,
                                       comment=comment)
        state = sign_review(entry, [record])
        return JSONResponse({
            "gloss": entry.gloss, "reviewed": state.reviewed, "review": {"state": state.state, **record.to_dict()},
            "lexicon_version": shared.lexicon().version,
        })

    @router.post("/v1/lexicon/{gloss}/revisions", status_code=201, dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 411, 413, 422))
    def new_revision(gloss: str, body: RevisionIn) -> JSONResponse:
        """Save a new version of the sign (or a new sign) into the city's lexicon: validated as the
        loader validates a sign file, written to the overlay under the data dir, recorded as revision
        n with who, when, why and consent; the service then uses the new lexicon version."""
        name = gloss if GLOSS_RE.match(gloss) else gloss.upper()

        def run() -> dict[str, Any]:
            with shared.write_lock:
                saved = save_revision(shared.settings, name, body.sign, body.editor, body.reason, body.consent)
                shared.reload()
            return saved

        return JSONResponse(run(), status_code=201)

    @router.post("/v1/lexicon/{gloss}/revert", status_code=201, dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 411, 413, 422))
    def revert(gloss: str, body: RevertIn) -> JSONResponse:
        """Use the shipped sign again: the city's version is removed from its lexicon, recorded as
        revision n (who, why); 400 when the city has no version of the sign or the sign is its own."""
        name = gloss if GLOSS_RE.match(gloss) else gloss.upper()

        def run() -> dict[str, Any]:
            with shared.write_lock:
                done = revert_to_shipped(shared.settings, name, body.editor, body.reason)
                shared.reload()
            return done

        return JSONResponse(run(), status_code=201)


def _package_routes(router: APIRouter, shared: _Shared, require_editor: Any) -> None:
    @router.get("/v1/lexicon/export", dependencies=[require_editor], response_class=Response, responses={
        200: {"content": {"application/zip": {}}, "description": "the city's lexicon package"},
        **error_responses(400, 401, 403)})
    def export(name: str = Query(default="signavatar city lexicon", max_length=200)) -> Response:
        """The city's signs (the overlay), each with its revisions, licence and consent, as one .zip
        package (format: docs/city_lexicon.md) that POST /v1/lexicon/import of another city reads."""
        data = export_package(shared.settings, name)
        version = city_lexicon_version(shared.settings)
        return Response(data, media_type="application/zip", headers={
            "Content-Disposition": f'attachment; filename="signavatar-lexicon-{version}.zip"'})

    @router.post(IMPORT_PATH, dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 411, 413, 422))
    async def import_(request: Request, editor: EditorName = Query(min_length=1, max_length=200)) -> JSONResponse:
        """Import a package (the .zip of GET /v1/lexicon/export) sent as the body: everything is
        checked before anything is written (an invalid package changes nothing); each sign that
        differs from the city's becomes a revision "imported from <package>" by `editor`."""
        data = await request.body()

        def run() -> dict[str, Any]:
            with shared.write_lock:
                result = import_package(shared.settings, data, editor)
                if result.imported:
                    shared.reload()
            return result.to_dict()

        return JSONResponse(await run_in_threadpool(run))


def _render_png(pipeline: Drawing, gloss: str) -> bytes:
    from PIL import Image

    from signavatar.stills.sheet import render_tiles  # GL: only when a still is first asked for

    (_, tile), = render_tiles(pipeline, [gloss], PREVIEW_SIZE)
    out = io.BytesIO()
    Image.fromarray(tile).save(out, format="PNG", optimize=True)
    return out.getvalue()
