"""The city's lexicon: an overlay over the shipped glosses/, owned by the city, under the data dir.

`Settings.data_dir / "lexicon"` holds signs/<GLOSS>.json (the sign file format of glosses/SCHEMA.md)
and revisions.sqlite (signavatar/lexicon/revisions.py). A sign there replaces the shipped sign of the
same gloss or adds one; handshapes always come from the shipped handshapes.json. Every change is a
revision saved with `save_revision` (who, when, why, consent, form hash); nothing here writes under
the shipped folder. The files are written with "reviewed": false: review state lives in the review
log (signavatar/review), attached to the sign's form.

Public API: `overlay_dir`, `load_city_lexicon`, `city_lexicon_version`, `revision_store`,
`save_revision`, `revert_to_shipped`, `check_sign`, `check_consent`.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError, LexiconError
from signavatar.lexicon.load import (
    GLOSS_RE,
    SIGNS_DIR,
    form_hash,
    lexicon_version,
    load_handshapes,
    load_lexicon,
    parse_sign,
)
from signavatar.lexicon.model import Handshape, Lexicon
from signavatar.lexicon.revisions import REVISIONS_FILE, NewRevision, RevisionStore
from signavatar.settings import Settings

OVERLAY_DIR = "lexicon"  # under Settings.data_dir
MAX_NAME_CHARS = 200
MAX_REASON_CHARS = 2000
CONSENT_KEYS = ("signer", "licence", "consent")


def overlay_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / OVERLAY_DIR


def load_city_lexicon(settings: Settings) -> Lexicon:
    """The lexicon the service and the commands use: the shipped glosses/ with the city's overlay."""
    return load_lexicon(settings.lexicon_dir, overlay_dir(settings))


def city_lexicon_version(settings: Settings) -> str:
    return lexicon_version(Path(settings.lexicon_dir), overlay_dir(settings))


def revision_store(settings: Settings) -> RevisionStore:
    return RevisionStore(overlay_dir(settings) / REVISIONS_FILE)


def check_gloss(gloss: Any) -> str:
    """`gloss` when it is a gloss (and so a safe file name); InvalidInputError otherwise."""
    if not isinstance(gloss, str) or not GLOSS_RE.match(gloss):
        raise InvalidInputError(f"{gloss!r} is not a gloss: upper case A-Z ÄÖÜ, digits and single '-' (ß written SS)")
    return str(gloss)


def check_sign(gloss: str, sign: Any, handshapes: Mapping[str, Handshape]) -> str:
    """Validate `sign` as the loader validates <gloss>.json and return the file's text to write
    (JSON, 2-space indent, "reviewed": false). LexiconError "<GLOSS>.json: <field>: <problem>"."""
    check_gloss(gloss)
    if not isinstance(sign, dict):
        raise LexiconError(f"{gloss}.json: (json): expected a sign object, got {type(sign).__name__}")
    data = {**sign, "reviewed": False} if "reviewed" in sign else sign
    parse_sign(data, f"{gloss}.json", handshapes)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_consent(consent: Any, source: str) -> dict[str, Any] | None:
    """The consent of a sign's revision: {"signer", "licence", "consent": true} (all three required
    for a recorded sign), or {"licence"} alone for others; None when none is given and none needed."""
    if consent is None:
        if source == "recorded":
            raise InvalidInputError("consent is missing: a recorded sign needs {signer, licence, consent: true} "
                                    "from the person recorded")
        return None
    if not isinstance(consent, dict) or set(consent) - set(CONSENT_KEYS):
        raise InvalidInputError(f"consent: expected an object with {', '.join(CONSENT_KEYS)}, got {consent!r}")
    needed = CONSENT_KEYS if source == "recorded" else ("licence",)
    missing = [k for k in needed if k not in consent]
    if missing:
        raise InvalidInputError(f"consent: {', '.join(missing)} missing (a {source} sign needs {', '.join(needed)})")
    for key in ("signer", "licence"):
        if key in consent and not (isinstance(consent[key], str) and consent[key].strip()
                                   and len(consent[key]) <= MAX_NAME_CHARS):
            raise InvalidInputError(f"consent.{key}: a non-empty text of at most {MAX_NAME_CHARS} characters")
    if "consent" in consent and consent["consent"] is not True:
        raise InvalidInputError("consent.consent must be true: the signer agreed to the recording's use")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in consent.items()}


def check_words(editor: str, reason: str) -> tuple[str, str]:
    """(editor, reason) with whitespace tidied; InvalidInputError when either is empty or too long."""
    editor = " ".join(str(editor).split())
    reason = str(reason).strip()
    if not editor or len(editor) > MAX_NAME_CHARS:
        raise InvalidInputError(f"editor: say who saves the sign (a name of 1 to {MAX_NAME_CHARS} characters)")
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise InvalidInputError(f"reason: say why the sign changes (1 to {MAX_REASON_CHARS} characters)")
    return editor, reason


@dataclass(frozen=True)
class Change:
    """One sign to save: its gloss, the file's text (check_sign), consent and origin."""

    gloss: str
    text: str
    consent: dict[str, Any] | None
    origin: dict[str, Any] | None = None


def save_revision(settings: Settings, gloss: str, sign: dict[str, Any], editor: str, reason: str,
                  consent: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate `sign` exactly as the loader does (InvalidInputError, the HTTP shells' 400, with the
    loader's line "<GLOSS>.json: <field>: <problem>" when it is bad), write it as the overlay's current
    file of `gloss` and record revision n. Returns {"gloss", "revision", "lexicon_version"}. The
    caller reloads its pipeline (the service: FrontPipeline.reload) so the new version is used."""
    editor, reason = check_words(editor, reason)
    handshapes = load_handshapes(Path(settings.lexicon_dir))  # a broken shipped inventory stays a LexiconError
    try:
        text = check_sign(gloss, sign, handshapes)
    except LexiconError as exc:
        raise InvalidInputError(str(exc)) from None
    checked = check_consent(consent, str(sign.get("source")))
    (number,) = save_changes(settings, [Change(gloss, text, checked)], editor, reason)
    return {"gloss": gloss, "revision": number, "lexicon_version": city_lexicon_version(settings)}


def revert_to_shipped(settings: Settings, gloss: str, editor: str, reason: str) -> dict[str, Any]:
    """Give up the city's own version of `gloss`: its overlay file is removed, so the shipped sign is
    used again, recorded as revision n whose sign is the shipped file (who, when, why; origin
    {"reverted_to": "shipped"}). InvalidInputError when the city has no version of the sign, or when
    the sign is the city's own (nothing shipped to go back to). Returns {"gloss", "revision",
    "lexicon_version"}; the caller reloads its pipeline."""
    editor, reason = check_words(editor, reason)
    check_gloss(gloss)
    overlay = overlay_dir(settings) / SIGNS_DIR / f"{gloss}.json"
    shipped = Path(settings.lexicon_dir) / SIGNS_DIR / f"{gloss}.json"
    if not overlay.is_file():
        raise InvalidInputError(f"{gloss}: the city's lexicon has no version of this sign; the shipped one is in use")
    if not shipped.is_file():
        raise InvalidInputError(f"{gloss}: the sign is the city's own, there is no shipped sign to go back to")
    text = shipped.read_text(encoding="utf-8")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    item = NewRevision(gloss, editor, now, reason, form_hash(text.encode("utf-8")), None,
                       {"reverted_to": "shipped"}, text)
    old = overlay.read_bytes()
    try:
        (number,) = revision_store(settings).add([item], lambda _: overlay.unlink())
    except BaseException:
        if not overlay.exists():
            _write_atomic(overlay, old)
        raise
    return {"gloss": gloss, "revision": number, "lexicon_version": city_lexicon_version(settings)}


def save_changes(settings: Settings, changes: Sequence[Change], editor: str, reason: str) -> list[int]:
    """Write the checked changes into the overlay, one revision each, all or none: when anything
    fails the files written so far are put back and no revision is recorded."""
    signs = overlay_dir(settings) / SIGNS_DIR
    signs.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    items = [NewRevision(c.gloss, editor, now, reason, form_hash(c.text.encode("utf-8")), c.consent, c.origin, c.text)
             for c in changes]
    before: dict[Path, bytes | None] = {}

    def write(item: NewRevision) -> None:
        path = signs / f"{check_gloss(item.gloss)}.json"
        if path not in before:
            before[path] = path.read_bytes() if path.is_file() else None
        _write_atomic(path, item.sign.encode("utf-8"))

    try:
        return revision_store(settings).add(items, write)
    except BaseException:
        for path, old in before.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                _write_atomic(path, old)
        raise


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temp file and os.replace (the lexicon layer may not use frames_to_video.atomic)."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
