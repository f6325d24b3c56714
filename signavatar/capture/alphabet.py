"""The DGS manual alphabet recordings shipped by the PyPI package spoken-to-signed (MIT).

30 MediaPipe Holistic `.pose` files (A-Z, Ä, Ö, Ü, ß), read from the installed package: they are
not copied into this repository.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from signavatar.errors import SignavatarError

SIGNED_LANGUAGE = "gsg"  # ISO 639-3 code of DGS


class AlphabetMissingError(SignavatarError, FileNotFoundError):
    """spoken-to-signed is not installed."""


@lru_cache(maxsize=1)
def alphabet_recordings() -> dict[str, Path]:
    """Letter (upper case; ß stays ß) -> .pose path, in the package's order."""
    spec = find_spec("spoken_to_signed")
    if spec is None or spec.origin is None:
        raise AlphabetMissingError("the DGS alphabet recordings need the package spoken-to-signed: run `make setup`")
    root = Path(spec.origin).parent / "assets" / "fingerspelling_lexicon"
    out: dict[str, Path] = {}
    with (root / "index.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["signed_language"] == SIGNED_LANGUAGE:
                letter = row["words"] if row["words"] == "ß" else row["words"].upper()
                out[letter] = root / row["path"]
    return out
