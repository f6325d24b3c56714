"""The work of one uploaded recording: capture the sign from the video (the `signavatar capture`
path: sign_capture.capture_sign with the handshape bank) and render a preview of the avatar
signing the captured entry. Run in a process of its own (recording_queue.py) by `run_job`, which
leaves in the job's folder either sign.json and preview.mp4 plus result.json {"ok": true, ...},
or result.json {"error": "what went wrong"}.

The preview needs a lexicon that holds the captured sign: a folder of links to the current
lexicon's files (every sign the service signs now, wherever it lives) with the captured entry in
place of the gloss's own, loaded with a data folder of its own so no city overlay hides it.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from signavatar.capture.hand_bank import StaleBankError, bank_path, load_bank
from signavatar.capture.recorded_entry import check_gloss, entry_json, write_entry
from signavatar.capture.recording_queue import PREVIEW_FILE, REQUEST_FILE, RESULT_FILE, SIGN_FILE, RecordingRequest
from signavatar.capture.sign_capture import UNCERTAIN_WARN, capture_sign
from signavatar.errors import SignavatarError
from signavatar.frames_to_video.atomic import write_text_atomic
from signavatar.frames_to_video.encode import encode_video
from signavatar.lexicon import Lexicon
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

log = logging.getLogger(__name__)

PREVIEW_SIZE = 320  # pixels, square: beside the uploaded video in the editor
PREVIEW_FPS = 25


def capture_recording(pipeline: Pipeline, settings: Settings, video: Path, request: RecordingRequest) -> dict[str, Any]:
    """The recorded lexicon entry of `video` (a dict as the lexicon stores it) plus "uncertain":
    per captured hand the share of frames no inventory handshape fits (a hint to look closely)."""
    check_gloss(request.gloss)
    skeleton = pipeline.avatar.skeleton
    try:
        bank = load_bank(bank_path(settings.lexicon_dir), skeleton, pipeline.lexicon)
    except StaleBankError as exc:
        log.warning("%s; choosing handshapes by finger angles alone", exc)
        bank = None
    description = (f"Recorded in the browser from a video of {request.signer} (licence {request.licence}) by "
                   "signavatar capture (MediaPipe Holistic).")
    done = capture_sign(video, request.gloss, skeleton, pipeline.lexicon, lemmas=request.lemmas,
                        mouthing=request.mouthing, description=description, bank=bank)
    return {**done.entry, "uncertain": {side: round(share, 3) for side, share in done.uncertain.items()}}


def preview_lexicon(lexicon: Lexicon, lexicon_dir: Path, entry: dict[str, Any], folder: Path) -> Path:
    """A glosses folder under `folder`: links to `lexicon_dir`'s files and to every sign file of
    `lexicon`, with `entry` written in place of its gloss's file. Returns the folder."""
    root = folder / "glosses"
    signs = root / "signs"
    signs.mkdir(parents=True)
    for item in Path(lexicon_dir).iterdir():
        if item.name != "signs" and not item.name.startswith("."):
            (root / item.name).symlink_to(item.resolve())
    for gloss, sign in lexicon.entries.items():
        if gloss != entry["gloss"]:
            (signs / f"{gloss}.json").symlink_to(Path(sign.path).resolve())
    write_entry(entry, root)
    return root


def render_preview(settings: Settings, lexicon: Lexicon, entry: dict[str, Any], work: Path, out: Path) -> int:
    """Encode the avatar signing `entry` alone to `out` (H.264 MP4, PREVIEW_SIZE square); the frame count."""
    glosses = preview_lexicon(lexicon, settings.lexicon_dir, entry, work)
    data = work / "data"
    data.mkdir()
    pipeline = Pipeline(replace(settings, lexicon_dir=glosses, data_dir=data, render_processes=1))
    try:
        options = RenderOptions(width=PREVIEW_SIZE, height=PREVIEW_SIZE, fps=PREVIEW_FPS)
        track = pipeline.motion(pipeline.parse_glosses(entry["gloss"]), options)
        return encode_video(pipeline.frames(track, options), out, fps=options.fps, width=options.width,
                            height=options.height, fmt="mp4")
    finally:
        pipeline.close()


def run_job(settings: Settings, folder: Path) -> None:
    """The job in `folder` (its request.json and video): capture, preview, result.json. Never
    raises for a failed capture: the error goes into result.json for the reviewer to read."""
    import tempfile

    folder = Path(folder)
    started = time.monotonic()
    try:
        request = RecordingRequest.from_dict(json.loads((folder / REQUEST_FILE).read_text(encoding="utf-8")))
        pipeline = Pipeline(replace(settings, render_processes=1))
        try:
            entry = capture_recording(pipeline, settings, folder / request.video, request)
            captured_s = time.monotonic() - started
            uncertain = entry.pop("uncertain")
            with tempfile.TemporaryDirectory(dir=folder, prefix=".preview-") as work:
                frames = render_preview(settings, pipeline.lexicon, entry, Path(work), folder / PREVIEW_FILE)
        finally:
            pipeline.close()
        write_text_atomic(folder / SIGN_FILE, entry_json(entry))
        result: dict[str, Any] = {
            "ok": True, "capture_s": round(captured_s, 2), "total_s": round(time.monotonic() - started, 2),
            "preview_frames": frames, "uncertain": uncertain,
            "check_hands": [side for side, share in uncertain.items() if share >= UNCERTAIN_WARN],
        }
    except SignavatarError as exc:
        # the reviewer reads it: the video's name, not where the service keeps it
        message = str(exc)
        for where in (folder.resolve(), folder):
            message = re.sub(re.escape(f"{where}/") + r"video\.\w+", "the uploaded video", message)
        result = {"error": message.replace(f"{folder.resolve()}/", "")}
    except Exception as exc:  # noqa: BLE001 - any failure of a capture is the job's result, told to the reviewer
        log.error("recording job %s failed:\n%s", folder.name, traceback.format_exc())
        result = {"error": f"the capture failed unexpectedly ({type(exc).__name__}); the server log has the "
                           "details: try another recording"}
    write_text_atomic(folder / RESULT_FILE, json.dumps(result, ensure_ascii=False))
