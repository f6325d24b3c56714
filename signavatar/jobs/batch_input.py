"""Batch input: the items of a CSV, a JSON Lines file, a folder of text files or a plain text file.

Every item has an id, text or glosses, and options that override the command line's for that item
(names of RenderOptions: width, height, fps, format, speed, background, pose; "size" as WxH too).

- .csv: header with "text" and/or "glosses", optional "id", optional option columns (empty = default)
- .jsonl / .ndjson: one object per line {"id", "text" | "glosses", "options": {...}}
- a folder: every *.txt (text) and *.gloss (glosses) file, id = the file name without suffix
- anything else: one sentence per line (blank lines skipped), id = the line number
"""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.types import RenderOptions

OPTION_NAMES = tuple(f.name for f in dataclasses.fields(RenderOptions))
_INTS = ("width", "height", "fps")


@dataclass(frozen=True)
class BatchItem:
    id: str
    text: str | None
    glosses: str | None
    options: dict[str, Any] = field(default_factory=dict)  # overrides of the batch's options


def read_items(path: Path) -> list[BatchItem]:
    """The items of `path`; InvalidInputError naming the file and line for malformed input."""
    if path.is_dir():
        items = _read_folder(path)
    else:
        suffix = path.suffix.lower()
        raw = path.read_text(encoding="utf-8-sig")
        if suffix == ".csv":
            items = _read_csv(path, raw)
        elif suffix in (".jsonl", ".ndjson"):
            items = _read_jsonl(path, raw)
        else:
            items = [
                BatchItem(str(n), line.strip(), None) for n, line in enumerate(raw.splitlines(), 1) if line.strip()
            ]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise InvalidInputError(f"{path}: the id {item.id!r} appears twice; ids must be unique")
        seen.add(item.id)
    return items


def _read_folder(folder: Path) -> list[BatchItem]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".gloss"))
    if not files:
        raise InvalidInputError(f"{folder}: no .txt or .gloss files in the folder")
    items = []
    for p in files:
        content = " ".join(p.read_text(encoding="utf-8-sig").split()) or None
        is_gloss = p.suffix.lower() == ".gloss"
        items.append(BatchItem(p.stem, None if is_gloss else content, content if is_gloss else None))
    return items


def _read_csv(path: Path, raw: str) -> list[BatchItem]:
    reader = csv.DictReader(raw.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "text" not in columns and "glosses" not in columns:
        raise InvalidInputError(
            f"{path}: the CSV needs a 'text' or 'glosses' column; found {', '.join(columns) or 'none'}"
        )
    items = []
    for n, row in enumerate(reader, 2):  # line 1 is the header
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        glosses = row.get("glosses") or None
        text = None if glosses else (row.get("text") or None)
        raw_options = {k: v for k, v in row.items() if (k in OPTION_NAMES or k == "size") and v != ""}
        options = parse_options(raw_options, f"{path} line {n}")
        items.append(BatchItem(row.get("id") or str(n), text, glosses, options))
    return items


def _read_jsonl(path: Path, raw: str) -> list[BatchItem]:
    items = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"{where}: not JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise InvalidInputError(f"{where}: each line must be a JSON object")
        options = obj.get("options") or {}
        if not isinstance(options, dict):
            raise InvalidInputError(f"{where}: options must be an object")
        text, glosses = obj.get("text"), obj.get("glosses")
        for name, value in (("text", text), ("glosses", glosses)):
            if value is not None and not isinstance(value, str):
                raise InvalidInputError(f"{where}: {name} must be a string")
        item_id = obj.get("id")
        items.append(BatchItem(str(n) if item_id in (None, "") else str(item_id), text or None, glosses or None,
                               parse_options(options, where)))
    return items


def parse_options(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """Option overrides with numbers parsed ("size": "WxH" becomes width and height)."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "size":
            try:
                out["width"], out["height"] = (int(x) for x in str(value).lower().split("x"))
            except ValueError:
                raise InvalidInputError(f"{where}: size must look like 128x128, got {value!r}") from None
            continue
        if key not in OPTION_NAMES:
            raise InvalidInputError(f"{where}: unknown option {key!r}; known: size, {', '.join(OPTION_NAMES)}")
        if isinstance(value, str) and key in (*_INTS, "speed"):
            try:
                value = int(value) if key in _INTS else float(value)
            except ValueError:
                raise InvalidInputError(f"{where}: {key} must be a number, got {value!r}") from None
        if isinstance(value, str) and key == "pose":
            value = value.lower() in ("1", "true", "yes")
        out[key] = value
    return out
