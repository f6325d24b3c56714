"""Load and validate a glosses/ folder (signs schema 2, handshapes schema 1; see glosses/SCHEMA.md).

Layout: <root>/handshapes.json and <root>/signs/<GLOSS>.json. Every file is validated when loaded;
any problem raises LexiconError with one line per bad file: "<path>: <field path>: <problem>".

An overlay (the city's lexicon under the data dir, signavatar/lexicon/city.py) is a second signs/
folder: its <GLOSS>.json replaces the shipped file of the same name or adds a sign. Handshapes
always come from the shipped handshapes.json (an overlay handshapes.json is refused). The lexicon
version hashes the effective files, so an empty overlay keeps the shipped version.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.errors import LexiconError
from signavatar.fingerspelling import is_letter_sign, letter_sign_id
from signavatar.lexicon import fields as f
from signavatar.lexicon.fields import FieldError
from signavatar.lexicon.model import (
    DIRECTIONS,
    FINGERS,
    HAND_COUNTS,
    HANDSHAPES_SCHEMA_VERSION,
    LOCATIONS,
    NUMBER_PREFIX,
    OPPOSITE_DIRECTION,
    SCHEMA_VERSION,
    SOURCES,
    Angles,
    FrozenMap,
    HandPose,
    Handshape,
    Keyframe,
    Lexicon,
    SignEntry,
)
from signavatar.lexicon.movement import compile_definition
from signavatar.lexicon.parse_motion import parse_definition, parse_recording, read_offset

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "glosses"
HANDSHAPES_FILE = "handshapes.json"
SIGNS_DIR = "signs"

# Upper-case letters (umlauts kept, ß written SS), digits, single dashes; the letter sign FS-ß is
# the one exception (signavatar/fingerspelling.py).
GLOSS_RE = re.compile(rf"^({re.escape(letter_sign_id('ß'))}|[A-ZÄÖÜ0-9]+(-[A-ZÄÖÜ0-9]+)*)$")
HANDSHAPE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
FINGER_RANGES = ((-20.0, 30.0), (-20.0, 110.0), (-20.0, 110.0), (-20.0, 110.0))
THUMB_RANGES = ((0.0, 100.0), (-10.0, 90.0), (-20.0, 90.0), (-20.0, 90.0))


def load_lexicon(root: Path | None = None, overlay: Path | None = None) -> Lexicon:
    """Load and validate the lexicon under `root` (default: the repository's glosses/ folder,
    loaded once per process), with the signs of `overlay` (a folder with signs/, may be missing)
    replacing or adding to root's."""
    if root is None and overlay is None:
        return _load_cached(DEFAULT_ROOT)
    return _load(Path(root) if root is not None else DEFAULT_ROOT, None if overlay is None else Path(overlay))


@functools.lru_cache(maxsize=4)
def _load_cached(root: Path) -> Lexicon:
    return _load(root, None)


def sign_files(root: Path, overlay: Path | None = None) -> dict[str, Path]:
    """File name -> path of the effective sign files: root's signs/, each replaced by the overlay's
    file of the same name (overlay signs/ may be missing). LexiconError when root's folders are
    missing or the overlay has a handshapes.json."""
    handshapes_path, signs_dir = root / HANDSHAPES_FILE, root / SIGNS_DIR
    if not handshapes_path.is_file():
        raise LexiconError(f"{_shown(root, handshapes_path)}: (file): missing")
    if not signs_dir.is_dir():
        raise LexiconError(f"{_shown(root, signs_dir)}: (folder): missing")
    files = {p.name: p for p in signs_dir.glob("*.json")}
    if overlay is not None:
        if (overlay / HANDSHAPES_FILE).exists():
            raise LexiconError(f"{overlay / HANDSHAPES_FILE}: (file): not supported: handshapes come from the "
                               f"shipped {handshapes_path}; remove the overlay's copy")
        files.update({p.name: p for p in (overlay / SIGNS_DIR).glob("*.json")})
    return dict(sorted(files.items()))


def lexicon_version(root: Path, overlay: Path | None = None) -> str:
    """The version load_lexicon(root, overlay) would have, without parsing the signs: the first 12 hex
    characters of sha256 over handshapes.json and the effective sign files (relative name and form)."""
    digest = hashlib.sha256()
    for name, path in [(HANDSHAPES_FILE, root / HANDSHAPES_FILE),
                       *((f"{SIGNS_DIR}/{n}", p) for n, p in sign_files(root, overlay).items())]:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(_form_bytes(path.read_bytes()) + b"\0")
    return digest.hexdigest()[:12]


def form_hash(raw: bytes) -> str:
    """A sign file's form: 16 hex characters of sha256 over what the lexicon version hashes of it
    (review state and words about the sign left out); reviews are attached to it."""
    return hashlib.sha256(_form_bytes(raw)).hexdigest()[:16]


def parse_sign(data: Any, gloss_file: str, handshapes: Mapping[str, Handshape]) -> SignEntry:
    """Validate one sign's JSON as the loader does, as if it were the file `gloss_file`
    (<GLOSS>.json); LexiconError "<gloss_file>: <field path>: <problem>" when it is bad."""
    try:
        return _parse_sign(data, Path(gloss_file), dict(handshapes))
    except FieldError as exc:
        raise LexiconError(f"{gloss_file}: {exc}") from None


def load_handshapes(root: Path) -> dict[str, Handshape]:
    """The handshape inventory of the lexicon folder `root`; LexiconError naming the file when bad."""
    path = root / HANDSHAPES_FILE
    if not path.is_file():
        raise LexiconError(f"{_shown(root, path)}: (file): missing")
    try:
        return _parse_handshapes(_read_json(path))
    except FieldError as exc:
        raise LexiconError(f"{_shown(root, path)}: {exc}") from None


def _load(root: Path, overlay: Path | None) -> Lexicon:
    handshapes_path = root / HANDSHAPES_FILE
    files = sign_files(root, overlay)
    sign_paths = list(files.values())

    digest = hashlib.sha256()
    forms: dict[Path, str] = {}
    for name, path in [(HANDSHAPES_FILE, handshapes_path), *((f"{SIGNS_DIR}/{n}", p) for n, p in files.items())]:
        form = _form_bytes(path.read_bytes())
        forms[path] = hashlib.sha256(form).hexdigest()[:16]
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(form + b"\0")
    try:
        handshapes = _parse_handshapes(_read_json(handshapes_path))
    except FieldError as exc:
        # Every sign names handshapes: checking them against a broken inventory only adds noise.
        raise LexiconError(f"{_shown(root, handshapes_path)}: {exc}") from None

    errors: list[str] = []
    entries: dict[str, SignEntry] = {}
    for path in sign_paths:
        in_overlay = overlay is not None and path.parent.parent == overlay
        try:
            entry = _parse_sign(_read_json(path), path, handshapes)
        except FieldError as exc:
            errors.append(f"{path if in_overlay else _shown(root, path)}: {exc}")
            continue
        entries[entry.gloss] = dataclasses.replace(entry, form=forms[path], in_overlay=in_overlay)
    if errors:
        raise LexiconError("\n".join(errors))
    return Lexicon(
        entries=MappingProxyType(entries),
        handshapes=MappingProxyType(handshapes),
        version=digest.hexdigest()[:12],
    )


def file_form_hash(path: Path) -> str:
    """form_hash of a data file (a sign or handshapes.json): what changes when the motion or
    handshapes it defines change, not when it is reviewed or described."""
    return form_hash(Path(path).read_bytes())


def _form_bytes(raw: bytes) -> bytes:
    """What the lexicon version hashes of a file: the canonical JSON of its content without
    NOT_FORM ("reviewed", the descriptions and notes: review state and words about a sign are not
    part of its form, so reviewing or describing a sign keeps the version, and every clip id;
    formatting and key order do not count either); the raw bytes of a file that is not a JSON
    object (it fails validation anyway)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw
    if not isinstance(data, dict):
        return raw
    for key in NOT_FORM:
        data.pop(key, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _shown(root: Path, path: Path) -> str:
    """The path as shown in messages: relative to root's parent, e.g. glosses/signs/TERMIN.json."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FieldError("(file)", f"not UTF-8: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise FieldError("(json)", f"invalid JSON at {where}: {exc.msg}") from None


def _parse_handshapes(data: Any) -> dict[str, Handshape]:
    f.obj(data, "", ("schema", "handshapes"))
    f.schema(data, HANDSHAPES_SCHEMA_VERSION)
    table = data["handshapes"]
    if not isinstance(table, dict):
        raise FieldError("handshapes", f"expected an object of name -> handshape, got {f.type_name(table)}")
    if not table:
        raise FieldError("handshapes", "empty")
    result: dict[str, Handshape] = {}
    for name, spec in table.items():
        field = f"handshapes.{name}"
        if not HANDSHAPE_NAME_RE.match(name):
            raise FieldError(field, "name must be letters, digits and '-'")
        f.obj(spec, field, ("description", *FINGERS))
        angles: dict[str, Angles] = {}
        for finger in FINGERS:
            ranges = THUMB_RANGES if finger == "thumb" else FINGER_RANGES
            a, b, c, d = f.numbers(spec[finger], f.join(field, finger), ranges)
            angles[finger] = (a, b, c, d)
        result[name] = Handshape(
            name=name, description=f.string(spec["description"], f.join(field, "description")), **angles
        )
    return result


SIGN_REQUIRED = ("schema", "gloss", "lemmas", "source", "reviewed", "description", "hands")
SIGN_NOTES = ("description_de", "approximation", "region", "same_sign_as")
"""Optional fields for the people who review a sign; like "description" and "reviewed" they are
not part of the sign's form (the lexicon version does not hash them)."""
NOT_FORM = ("reviewed", "description", *SIGN_NOTES)
MOTIONS = ("keyframes", "definition", "recording")  # exactly one per sign


def _parse_sign(data: Any, path: Path, handshapes: dict[str, Handshape]) -> SignEntry:
    f.obj(data, "", SIGN_REQUIRED, ("mouthing", "duration", *SIGN_NOTES, *MOTIONS))
    f.schema(data, SCHEMA_VERSION)
    given = [m for m in MOTIONS if m in data]
    if len(given) != 1:
        problem = "missing" if not given else f"give only one of {', '.join(given)}"
        raise FieldError("keyframes", f"{problem} (a sign has keyframes, a definition or a recording)")
    motion = given[0]
    gloss = f.string(data["gloss"], "gloss")
    if not GLOSS_RE.match(gloss):
        raise FieldError("gloss", f"{gloss!r} must be upper case A-Z ÄÖÜ, digits and '-' (ß written SS)")
    stem = unicodedata.normalize("NFC", path.stem)
    if unicodedata.normalize("NFC", gloss) != stem:
        raise FieldError("gloss", f"{gloss!r} differs from the file name {path.name!r}")
    lexical = not (is_letter_sign(gloss) or gloss.startswith(NUMBER_PREFIX))

    if not isinstance(data["lemmas"], list):
        raise FieldError("lemmas", f"expected a list of strings, got {data['lemmas']!r}")
    lemmas = tuple(f.string(v, f"lemmas[{i}]") for i, v in enumerate(data["lemmas"]))
    if lexical and not lemmas:
        raise FieldError("lemmas", "empty (a lexical sign needs at least one German lemma)")
    hands = f.choice(data["hands"], "hands", HAND_COUNTS, "hand count")
    mouthing = f.string(data["mouthing"], "mouthing") if "mouthing" in data else None
    notes = _parse_notes(data)
    duration = f.number(data["duration"], "duration", 0.1, 5.0, low_open=True) if "duration" in data else None
    definition = recording = None
    if motion == "keyframes":
        if duration is None:
            raise FieldError("duration", "missing (hand-written keyframes need the sign's duration)")
        keyframes = _parse_keyframes(data["keyframes"], hands, handshapes)
    elif motion == "definition":
        definition = parse_definition(
            data["definition"], hands, lambda v, fl: _parse_hand(v, fl, handshapes), _parse_face
        )
        keyframes, duration = compile_definition(definition, duration)
    else:
        from signavatar.avatar.skeleton import JOINTS  # the names recordings may use

        recording = parse_recording(data["recording"], tuple(name for name, _ in JOINTS))
        keyframes = ()
        duration = duration if duration is not None else max(recording.seconds, 0.1)
    return SignEntry(
        gloss=gloss,
        lemmas=lemmas,
        source=f.choice(data["source"], "source", SOURCES, "source"),
        reviewed=f.boolean(data["reviewed"], "reviewed"),
        description=f.string(data["description"], "description"),
        hands=hands,
        duration=duration,
        mouthing=mouthing,
        keyframes=keyframes,
        path=path,
        definition=definition,
        recording=recording,
        **notes,
    )


def _parse_notes(data: dict[str, Any]) -> dict[str, Any]:
    """The reviewers' fields (SIGN_NOTES) of a sign, with their defaults."""
    same = data.get("same_sign_as", [])
    if not isinstance(same, list):
        raise FieldError("same_sign_as", f"expected a list of glosses, got {same!r}")
    for i, other in enumerate(same):
        if not isinstance(other, str) or not GLOSS_RE.match(other):
            raise FieldError(f"same_sign_as[{i}]", f"{other!r} is not a gloss")
    return {
        "description_de": f.string(data["description_de"], "description_de") if "description_de" in data else "",
        "approximation": f.boolean(data["approximation"], "approximation") if "approximation" in data else False,
        "region": f.string(data["region"], "region") if "region" in data else "",
        "same_sign_as": tuple(same),
    }


def _parse_keyframes(value: Any, hands: str, handshapes: dict[str, Handshape]) -> tuple[Keyframe, ...]:
    if not isinstance(value, list) or not value:
        raise FieldError("keyframes", "expected a non-empty list of keyframes")
    result: list[Keyframe] = []
    for i, raw in enumerate(value):
        field = f"keyframes[{i}]"
        f.obj(raw, field, ("t",), ("right", "left", "face", "through"))
        t = f.number(raw["t"], f"{field}.t", 0.0, 1.0)
        if i == 0 and t != 0.0:
            raise FieldError(f"{field}.t", f"the first keyframe must have t = 0, got {t:g}")
        if result and t <= result[-1].t:
            raise FieldError(f"{field}.t", f"{t:g} is not after the previous keyframe's t = {result[-1].t:g}")
        if i == 0 and "right" not in raw:
            raise FieldError(f"{field}.right", "missing (the first keyframe needs the right hand)")
        if hands == "two" and "right" in raw and "left" not in raw:
            raise FieldError(f"{field}.left", "missing (a two-handed sign gives both hands together)")
        right = _parse_hand(raw["right"], f"{field}.right", handshapes) if "right" in raw else None
        left = _parse_hand(raw["left"], f"{field}.left", handshapes) if "left" in raw else None
        face = _parse_face(raw["face"], f"{field}.face") if "face" in raw else {}
        through = f.boolean(raw["through"], f"{field}.through") if "through" in raw else False
        result.append(Keyframe(t=t, right=right, left=left, face=FrozenMap(face), through=through))
    return tuple(result)


def _parse_hand(value: Any, field: str, handshapes: dict[str, Handshape]) -> HandPose:
    f.obj(value, field, ("handshape", "location", "palm", "fingers"), ("offset", "twist"))
    shape = value["handshape"]
    if not isinstance(shape, str) or shape not in handshapes:
        known = ", ".join(sorted(handshapes)) or "none loaded"
        raise FieldError(f"{field}.handshape", f"unknown handshape {shape!r} (known: {known})")
    location = f.choice(value["location"], f"{field}.location", LOCATIONS, "location")
    palm = f.choice(value["palm"], f"{field}.palm", DIRECTIONS, "direction")
    fingers = f.choice(value["fingers"], f"{field}.fingers", DIRECTIONS, "direction")
    if fingers in (palm, OPPOSITE_DIRECTION[palm]):
        problem = f"{fingers!r} is parallel to palm {palm!r} (they must be at right angles)"
        raise FieldError(f"{field}.fingers", problem)
    offset = read_offset(value["offset"], f"{field}.offset") if "offset" in value else (0.0, 0.0, 0.0)
    twist = f.number(value["twist"], f"{field}.twist", -180.0, 180.0) if "twist" in value else 0.0
    return HandPose(handshape=shape, location=location, offset=offset, palm=palm, fingers=fingers, twist=twist)


def _parse_face(value: Any, field: str) -> dict[str, float]:
    f.obj(value, field, (), FACE_CHANNELS)
    return {name: f.number(v, f"{field}.{name}", 0.0, 1.0) for name, v in value.items()}
