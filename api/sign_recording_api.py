"""Record a sign from the browser (issue 23): a reviewer uploads a short video of a signer, the
service captures the sign from it as a job (signavatar/capture/recording_queue.py, one at a time),
shows the avatar performing it beside the video, and saves it as a new revision of the sign with
the signer's consent and licence.

  POST /v1/lexicon/{gloss}/recordings       multipart/form-data: file, signer, licence, consent=true, and
                                            lemmas (comma-separated; needed for a new gloss) -> 202
  GET  /v1/lexicon/recordings/{id}          {"status": queued|running|done|failed, "error"?, "sign"?, ...}
  GET  /v1/lexicon/recordings/{id}/preview.mp4   the avatar performing the captured sign
  GET  /v1/lexicon/recordings/{id}/video    the uploaded video
  POST /v1/lexicon/recordings/{id}/save     {"editor", "reason"} -> 201 {"gloss", "revision", "lexicon_version"}

Every route needs the editor key: the video shows a person. The upload is streamed to a file under
the data dir with a hard byte limit (api/multipart_form.py; the body limit of this one path is
raised to fit, api/app.py), then probed by ffprobe for type, picture size and duration
(capture/recording_probe.py) before it is queued.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api.multipart_form import Form, FormError, read_form
from api.responses import error_responses
from api.review_text import EditorName, EditorNote, check_name
from signavatar.capture.recorded_entry import check_gloss
from signavatar.capture.recording_probe import RecordingLimits, RecordingRefused, probe_recording
from signavatar.capture.recording_queue import (
    DONE,
    FAILED,
    RECORDINGS_DIR,
    UPLOADS_DIR,
    RecordingQueue,
    RecordingQueueFull,
    RecordingRequest,
    RecordingState,
)
from signavatar.errors import InvalidInputError, LexiconError
from signavatar.fingerspelling import is_letter_sign
from signavatar.lexicon.city import save_revision
from signavatar.lexicon.model import NUMBER_PREFIX
from signavatar.pipeline_protocols import ServicePipeline
from signavatar.settings import Settings

#: the licences a recording may be given under (what the city can publish the sign with)
LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "Eigentum der Stadt")
CONSENT_YES = frozenset({"true", "on", "yes", "1"})  # "on": an HTML checkbox's value
FORM_FIELDS = frozenset({"file", "signer", "licence", "consent", "lemmas"})
MAX_LEMMAS, MAX_LEMMA_CHARS = 20, 60
FORM_OVERHEAD = 64 * 1024  # bytes of a form beyond its video: boundaries, headers, the text fields
UPLOAD_PATH = "/v1/lexicon/{gloss}/recordings"
MEDIA_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}


class SaveRecordingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: EditorName = Field(min_length=1, max_length=200, description="who saves the recording (a name)")
    reason: EditorNote = Field(min_length=1, max_length=2000, description="why the sign gets this revision")


def upload_limit(settings: Settings) -> int:
    """The body limit of UPLOAD_PATH (BodyLimitMiddleware's `larger`): the video's limit plus the form."""
    return settings.max_recording_bytes + FORM_OVERHEAD


def _refused(detail: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def state_view(state: RecordingState, queue: RecordingQueue) -> dict[str, Any]:
    """A job as GET /v1/lexicon/recordings/{id} shows it."""
    base = f"/v1/lexicon/recordings/{state.job_id}"
    out: dict[str, Any] = {
        "job": state.job_id, "gloss": state.gloss, "status": state.status, "signer": state.signer,
        "licence": state.licence, "created": state.created, "video_url": f"{base}/video",
    }
    if state.error is not None:
        out["error"] = state.error
    if state.status == DONE:
        out["sign"] = queue.sign(state.job_id)
        out["preview_url"] = f"{base}/preview.mp4"
        result = state.result or {}
        out["capture_s"] = result.get("capture_s")
        out["check_hands"] = result.get("check_hands", [])
    if state.saved is not None:
        out["saved"] = state.saved
    return out


def sign_recording_router(front: Callable[[], ServicePipeline], reload: Callable[[], None], settings: Settings,
                          require_editor: Any) -> APIRouter:
    """`front` returns the service's pipeline (for its lexicon), `reload` drops it after a save changed
    the lexicon. The recording jobs under data_dir run while the app does (its lifespan)."""
    queue = RecordingQueue(Path(settings.data_dir) / RECORDINGS_DIR, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        try:
            yield
        finally:
            queue.close()

    router = APIRouter(tags=["lexicon recordings"], lifespan=lifespan)
    add_upload_route(router, queue, front, settings, require_editor)
    add_job_routes(router, queue, reload, settings, require_editor)
    return router


def add_upload_route(router: APIRouter, queue: RecordingQueue, front: Callable[[], ServicePipeline],
                     settings: Settings, require_editor: Any) -> None:
    """POST /v1/lexicon/{gloss}/recordings."""
    limits = RecordingLimits(settings.max_recording_bytes, settings.max_recording_s)
    uploads = Path(settings.data_dir) / RECORDINGS_DIR / UPLOADS_DIR

    def sign_of(gloss: str) -> tuple[str, tuple[str, ...], str | None]:
        """The gloss as the lexicon writes it with its lemmas and mouthing, or a valid new gloss."""
        lexicon = front().lexicon
        entry = lexicon.get(gloss) or lexicon.get(gloss.upper())
        if entry is not None:
            return entry.gloss, tuple(entry.lemmas), entry.mouthing
        try:
            return check_gloss(gloss), (), None
        except InvalidInputError as exc:
            raise InvalidInputError(f"{exc}; or record a sign of the lexicon (GET /v1/lexicon)") from None

    @router.post(
        UPLOAD_PATH, status_code=202, dependencies=[require_editor],
        responses=error_responses(400, 401, 403, 411, 413, 415, 429),
        openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file", "signer", "licence", "consent"], "properties": {
                "file": {"type": "string", "format": "binary", "description": "the video: MP4, WebM or MOV"},
                "signer": {"type": "string", "description": "the name of the person signing"},
                "licence": {"type": "string", "enum": list(LICENCES)},
                "consent": {"type": "string", "enum": ["true"], "description": "the signer agreed"},
                "lemmas": {"type": "string", "description": "German words the sign translates, comma-separated "
                           "(needed for a new gloss; default: the sign's own)"}}}}}}},
    )
    async def upload(gloss: str, request: Request) -> JSONResponse:
        """Upload a video of one sign (at most max_recording_bytes and max_recording_s); its capture runs as a job."""
        try:
            queue.check_room()  # before the upload is read
        except RecordingQueueFull as exc:
            return JSONResponse({"detail": str(exc)}, status_code=429, headers={"Retry-After": "60"})
        gloss, lemmas, mouthing = await anyio.to_thread.run_sync(sign_of, gloss)
        uploads.mkdir(parents=True, exist_ok=True)
        part = uploads / f"{secrets.token_hex(8)}.part"
        try:
            try:
                form = await read_form(request.stream(), request.headers.get("content-type", ""), "file", part,
                                       settings.max_recording_bytes)
            except FormError as exc:
                return _refused(str(exc), exc.status)
            refusal = check_form(form)
            if refusal is not None:
                return refusal
            given = lemmas_of(form.fields.get("lemmas", ""))
            if isinstance(given, JSONResponse):
                return given
            lemmas = given or lemmas
            if not lemmas and not (is_letter_sign(gloss) or gloss.startswith(NUMBER_PREFIX)):
                return _refused(f"{gloss} is a new sign: send lemmas=the German words it translates, "
                                "separated by commas (e.g. lemmas=Telefon,anrufen)")
            try:
                info = await anyio.to_thread.run_sync(probe_recording, part, limits)
            except RecordingRefused as exc:
                return _refused(str(exc), exc.status)
            suffix = ".webm" if info.container == "WebM" else ".mp4"
            signer, licence = form.fields["signer"].strip(), form.fields["licence"].strip()
            state = queue.submit(part, suffix, RecordingRequest("", gloss, signer, licence, lemmas, mouthing))
        finally:
            part.unlink(missing_ok=True)
        return JSONResponse({"job": state.job_id, "status": state.status, "gloss": gloss,
                             "status_url": f"/v1/lexicon/recordings/{state.job_id}"}, status_code=202)


def add_job_routes(router: APIRouter, queue: RecordingQueue, reload: Callable[[], None], settings: Settings,
                   require_editor: Any) -> None:
    """The job's status, preview, video and save."""
    save_lock = threading.Lock()  # one save of a job: a second one finds it saved

    def job_of(job_id: str) -> RecordingState | JSONResponse:
        state = queue.get(job_id)
        if state is None:
            return _refused(f"no recording job {job_id!r}", 404)
        return state

    @router.get("/v1/lexicon/recordings/{job_id}", dependencies=[require_editor],
                responses=error_responses(401, 403, 404))
    def status(job_id: str) -> JSONResponse:
        """The job's state; when done, the captured sign and the preview's URL."""
        state = job_of(job_id)
        if isinstance(state, JSONResponse):
            return state
        return JSONResponse(state_view(state, queue))

    @router.get("/v1/lexicon/recordings/{job_id}/preview.mp4", dependencies=[require_editor], response_class=Response,
                responses={200: {"content": {"video/mp4": {}}, "description": "the avatar signing the capture"},
                           **error_responses(401, 403, 404)})
    def preview(job_id: str) -> Response:
        state = job_of(job_id)
        if isinstance(state, JSONResponse):
            return state
        if state.status != DONE:
            return _refused(f"the recording's capture is {state.status}: there is no preview"
                            + (" yet" if state.status != FAILED else ""), 404)
        return FileResponse(queue.preview(job_id), media_type="video/mp4", headers={"Cache-Control": "no-cache"})

    @router.get("/v1/lexicon/recordings/{job_id}/video", dependencies=[require_editor], response_class=Response,
                responses={200: {"content": {"video/mp4": {}, "video/webm": {}}, "description": "the uploaded video"},
                           **error_responses(401, 403, 404)})
    def video(job_id: str) -> Response:
        state = job_of(job_id)
        if isinstance(state, JSONResponse):
            return state
        path = queue.video(job_id)
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "video/mp4"),
                            headers={"Cache-Control": "private, no-cache"})

    @router.post("/v1/lexicon/recordings/{job_id}/save", status_code=201, dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 404, 409, 422))
    def save(job_id: str, body: SaveRecordingIn) -> JSONResponse:
        """Save the captured sign as the gloss's new revision, with the consent given at upload."""
        with save_lock:
            return save_job(job_id, body)

    def save_job(job_id: str, body: SaveRecordingIn) -> JSONResponse:
        state = job_of(job_id)
        if isinstance(state, JSONResponse):
            return state
        if state.status != DONE:
            why = f"the capture failed: {state.error}" if state.status == FAILED else f"the capture is {state.status}"
            return _refused(f"{why}; only a finished capture can be saved", 409)
        if state.saved is not None:
            return _refused(f"this recording is already revision {state.saved.get('revision')} of "
                            f"{state.gloss}", 409)
        consent = {"signer": state.signer, "licence": state.licence, "consent": True}
        try:
            saved = save_revision(settings, state.gloss, queue.sign(job_id), body.editor, body.reason, consent=consent)
        except LexiconError as exc:
            return _refused(str(exc))
        reload()
        queue.mark_saved(job_id, saved)
        return JSONResponse(saved, status_code=201)


def lemmas_of(field: str) -> tuple[str, ...] | JSONResponse:
    """The optional "lemmas" field (German words, comma-separated; they replace the sign's own), or a 400."""
    lemmas = tuple(w.strip() for w in field.split(",") if w.strip())
    if len(lemmas) > MAX_LEMMAS or any(len(w) > MAX_LEMMA_CHARS or not w.isprintable() for w in lemmas):
        return _refused(f"lemmas: at most {MAX_LEMMAS} words of at most {MAX_LEMMA_CHARS} printable characters, "
                        "separated by commas")
    return lemmas


def check_form(form: Form) -> JSONResponse | None:
    """A 400 naming what to change in the form's fields, or None when they are right."""
    unknown = sorted(set(form.fields) - FORM_FIELDS)
    if unknown:
        return _refused(f"unknown form fields {unknown}: send file, signer, licence, consent (and lemmas)")
    if form.file_name is None or form.file_bytes == 0:
        return _refused("send the video as the form's 'file' field (MP4, WebM or MOV)")
    if form.fields.get("consent", "").strip().lower() not in CONSENT_YES:
        return _refused("the signer's consent is needed: send consent=true once the signer has agreed that the "
                        "recording is used for the city's sign lexicon")
    signer = form.fields.get("signer", "")
    try:
        check_name(signer)
    except ValueError as exc:
        return _refused(f"signer: {exc}" if signer else "signer: say who signs in the video (a name)")
    if len(signer) > 200:
        return _refused("signer: at most 200 characters")
    licence = form.fields.get("licence", "").strip()
    if licence not in LICENCES:
        return _refused(f"licence {licence!r} is not one we record under: send one of {', '.join(LICENCES)}")
    return None
