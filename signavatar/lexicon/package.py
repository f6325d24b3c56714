"""The city lexicon as one package to share: a .zip with manifest.json and signs/<GLOSS>.json.

Format 1 (docs/city_lexicon.md): manifest.json = {"format": "signavatar-lexicon-package",
"format_version": 1, "name", "exported" (UTC), "lexicon_version" (the exporting city's lexicon),
"shipped_lexicon_version", "signs": [{"gloss", "file": "signs/<GLOSS>.json", "sha256" (of the file),
"form", "revision", "licence" (or null), "consent" (or null), "revisions": [{revision, editor, time,
reason, form, consent?, origin?}]}]}; every overlay sign's current file beside it.

Importing reads the whole package before writing anything: size limits on the archive, on each
member and on their sum (read, not trusted from the headers: zip bombs), only the members the
manifest names in the form signs/<GLOSS>.json (a name from the archive is never a path here: files are
written as <overlay>/signs/<gloss>.json after the gloss is checked), every sign validated as the
loader does, recorded signs with consent. An invalid package changes nothing (InvalidInputError
listing the problems); a valid one is saved as one revision per sign ("imported from <package>"),
all or none; signs the city already has as they are in the package are skipped.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from signavatar import __version__
from signavatar.errors import InvalidInputError, LexiconError
from signavatar.lexicon.city import (
    MAX_NAME_CHARS,
    MAX_REASON_CHARS,
    Change,
    check_consent,
    check_gloss,
    check_sign,
    check_words,
    city_lexicon_version,
    overlay_dir,
    revision_store,
    save_changes,
)
from signavatar.lexicon.load import SIGNS_DIR, lexicon_version, load_handshapes, sign_files
from signavatar.settings import Settings

PACKAGE_FORMAT = "signavatar-lexicon-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_PACKAGE_BYTES = 32 * 1024**2  # the .zip
MAX_MEMBER_BYTES = 4 * 1024**2  # one file, unpacked (a recorded sign is ~15 kB)
MAX_UNPACKED_BYTES = 128 * 1024**2  # all files, unpacked
MAX_SIGNS = 5000
MAX_PROBLEMS = 20  # listed in the error; the rest counted
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ImportResult:
    imported: list[str]
    skipped: list[dict[str, str]]
    package: str
    lexicon_version: str

    def to_dict(self) -> dict[str, Any]:
        return {"imported": len(self.imported), "glosses": self.imported, "skipped": self.skipped,
                "package": self.package, "lexicon_version": self.lexicon_version}


def export_package(settings: Settings, name: str = "signavatar city lexicon") -> bytes:
    """The city's overlay signs, their revisions, licence and consent, as a package (.zip bytes)."""
    name = _label(name, "name")
    files = sorted((overlay_dir(settings) / SIGNS_DIR).glob("*.json"))
    history = revision_store(settings).all()
    signs: list[dict[str, Any]] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            raw = path.read_bytes()
            gloss = path.stem
            revisions = history.get(gloss, [])
            consent = revisions[-1].consent if revisions else None
            member = f"{SIGNS_DIR}/{gloss}.json"
            zf.writestr(member, raw)
            signs.append({
                "gloss": gloss, "file": member, "sha256": hashlib.sha256(raw).hexdigest(),
                "form": revisions[-1].form if revisions else "", "revision": revisions[-1].revision if revisions else 0,
                "licence": None if consent is None else consent.get("licence"), "consent": consent,
                "revisions": [r.to_dict() for r in revisions],
            })
        manifest = {
            "format": PACKAGE_FORMAT, "format_version": FORMAT_VERSION, "name": name,
            "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"), "program_version": __version__,
            "lexicon_version": city_lexicon_version(settings),
            "shipped_lexicon_version": lexicon_version(Path(settings.lexicon_dir)), "signs": signs,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return out.getvalue()


@dataclass(frozen=True)
class _Sign:
    gloss: str
    text: str
    consent: dict[str, Any] | None
    revisions: list[dict[str, Any]]


def read_package(data: bytes, settings: Settings) -> tuple[str, list[_Sign]]:
    """(the package's label, its signs), every one checked; InvalidInputError listing what is wrong."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise InvalidInputError(f"package is {len(data)} bytes; the limit is {MAX_PACKAGE_BYTES}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInputError(f"package: not a .zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_SIGNS + 1:
            raise InvalidInputError(f"package: {len(infos)} files; at most {MAX_SIGNS} signs and the manifest")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename in members:
                raise InvalidInputError(f"package: {info.filename!r} is in it twice")
            if info.flag_bits & 0x1:
                raise InvalidInputError(f"package: {info.filename!r} is encrypted")
            members[info.filename] = info
        budget = [MAX_UNPACKED_BYTES]
        if MANIFEST not in members:
            raise InvalidInputError(f"package: no {MANIFEST} (export one with `signavatar lexicon export`)")
        manifest = _json(_read(zf, members[MANIFEST], budget), MANIFEST)
        label = _check_manifest(manifest)
        handshapes = load_handshapes(Path(settings.lexicon_dir))
        problems: list[str] = []
        signs: list[_Sign] = []
        seen: set[str] = set()
        named = {MANIFEST}
        for i, item in enumerate(manifest["signs"]):
            try:
                sign = _check_entry(item, i, zf, members, budget, handshapes, seen)
            except (InvalidInputError, LexiconError) as exc:
                problems.append(str(exc))
                continue
            named.add(f"{SIGNS_DIR}/{sign.gloss}.json")
            signs.append(sign)
        problems += [f"package: {n!r} is not named in {MANIFEST}" for n in sorted(set(members) - named)
                     if not n.endswith("/") or members[n].file_size]
    if problems:
        more = f"\n... and {len(problems) - MAX_PROBLEMS} more" if len(problems) > MAX_PROBLEMS else ""
        raise InvalidInputError(f"package not imported, nothing changed ({len(problems)} problem(s)):\n"
                                + "\n".join(problems[:MAX_PROBLEMS]) + more)
    return label, signs


def import_package(settings: Settings, data: bytes, editor: str) -> ImportResult:
    """Check the whole package, then save each sign that differs from the city's current one as a
    revision "imported from <package>" by `editor` (all or none)."""
    editor, _ = check_words(editor, "import")
    label, signs = read_package(data, settings)
    current = sign_files(Path(settings.lexicon_dir), overlay_dir(settings))
    changes: list[Change] = []
    skipped: list[dict[str, str]] = []
    for sign in signs:
        path = current.get(f"{sign.gloss}.json")
        if path is not None and _words_and_form(path.read_bytes()) == _words_and_form(sign.text.encode("utf-8")):
            skipped.append({"gloss": sign.gloss, "reason": "the city's sign is already the same"})
            continue
        changes.append(Change(sign.gloss, sign.text, sign.consent, {"package": label, "revisions": sign.revisions}))
    reason = f"imported from {label}"[:MAX_REASON_CHARS]
    if changes:
        save_changes(settings, changes, editor, reason)
    return ImportResult([c.gloss for c in changes], skipped, label, city_lexicon_version(settings))


def _words_and_form(raw: bytes) -> Any:
    data = json.loads(raw.decode("utf-8"))
    if isinstance(data, dict):
        data.pop("reviewed", None)
    return data


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The member's bytes, reading at most MAX_MEMBER_BYTES and what is left of the budget: the
    sizes in the headers are checked first, and the bytes counted, since a header may lie."""
    limit = min(MAX_MEMBER_BYTES, budget[0])
    if info.file_size > limit:
        raise InvalidInputError(f"package: {info.filename!r} unpacks to {info.file_size} bytes; the limit is {limit}")
    try:
        with zf.open(info) as f:
            raw = f.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError) as exc:
        raise InvalidInputError(f"package: {info.filename!r} cannot be read ({exc})") from None
    if len(raw) > limit:
        raise InvalidInputError(f"package: {info.filename!r} unpacks to more than {limit} bytes")
    budget[0] -= len(raw)
    return raw


def _json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"package: {name}: not JSON in UTF-8 ({exc})") from None


def _label(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME_CHARS or _CONTROL.search(value):
        raise InvalidInputError(f"{field}: a one-line text of 1 to {MAX_NAME_CHARS} characters, got {value!r}")
    return " ".join(value.split())


def _check_manifest(manifest: Any) -> str:
    """The package's label "<name> (lexicon <version>, exported <time>)"; InvalidInputError when the
    manifest is not one of format 1."""
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise InvalidInputError(f"package: {MANIFEST}: not a {PACKAGE_FORMAT}")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION
        raise InvalidInputError(f"package: format_version {version!r}; this signavatar reads {FORMAT_VERSION}"
                                + (" (the package is from a newer signavatar: update this one)" if newer else ""))
    signs = manifest.get("signs")
    if not isinstance(signs, list) or len(signs) > MAX_SIGNS:
        raise InvalidInputError(f"package: {MANIFEST}: signs must be a list of at most {MAX_SIGNS}")
    name = _label(manifest.get("name"), f"package: {MANIFEST}: name")
    lexicon = _label(manifest.get("lexicon_version"), f"package: {MANIFEST}: lexicon_version")
    exported = _label(manifest.get("exported"), f"package: {MANIFEST}: exported")
    return f"{name} (lexicon {lexicon}, exported {exported})"


def _check_entry(item: Any, i: int, zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], budget: list[int],
                 handshapes: Any, seen: set[str]) -> _Sign:
    where = f"package: signs[{i}]"
    if not isinstance(item, dict):
        raise InvalidInputError(f"{where}: expected an object")
    try:
        gloss = check_gloss(item.get("gloss"))
    except InvalidInputError as exc:
        raise InvalidInputError(f"{where}: gloss: {exc}") from None
    where = f"package: {gloss}"
    if gloss in seen:
        raise InvalidInputError(f"{where}: listed twice")
    seen.add(gloss)
    member = f"{SIGNS_DIR}/{gloss}.json"
    if item.get("file") != member or member not in members:
        raise InvalidInputError(f"{where}: file must be {member!r}, a file of the package")
    raw = _read(zf, members[member], budget)
    if item.get("sha256") != hashlib.sha256(raw).hexdigest():
        raise InvalidInputError(f"{where}: {member} does not match its sha256 in {MANIFEST}")
    sign = _json(raw, member)
    text = check_sign(gloss, sign, handshapes)
    try:
        consent = check_consent(item.get("consent"), str(sign.get("source")))
    except InvalidInputError as exc:
        raise InvalidInputError(f"{where}: {exc}") from None
    licence = item.get("licence")
    if licence is not None and (consent is None or licence != consent.get("licence")):
        raise InvalidInputError(f"{where}: licence {licence!r} differs from the consent's")
    revisions = item.get("revisions", [])
    if not isinstance(revisions, list) or len(revisions) > 1000 or not all(
            isinstance(r, dict) and isinstance(r.get("revision"), int) and all(
                isinstance(r.get(k), str) and len(r[k]) <= MAX_REASON_CHARS for k in ("editor", "time", "reason"))
            for r in revisions):
        raise InvalidInputError(f"{where}: revisions must be a list of {{revision, editor, time, reason}}")
    kept = [{k: r[k] for k in ("revision", "editor", "time", "reason", "form", "consent") if k in r}
            for r in revisions]
    return _Sign(gloss, text, consent, kept)
