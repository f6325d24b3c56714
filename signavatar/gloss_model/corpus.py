"""Reading a parallel corpus of German text and DGS glosses, and tokenising both sides.

A corpus folder holds `train.de` (one German sentence per line) and `train.gloss` (its glosses,
whitespace-separated, same line order), as the PHOENIX-2014T release does. The German side is
lower-cased and punctuation is dropped: glosses carry no punctuation, and PHOENIX is lower-cased.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from signavatar.errors import InvalidInputError

Pair = tuple[list[str], list[str]]
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def tokenise_german(text: str) -> list[str]:
    """Lower-cased words of a German sentence, punctuation dropped ("Morgen, 12 Uhr." -> morgen 12 uhr)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def tokenise_glosses(glosses: str) -> list[str]:
    return unicodedata.normalize("NFC", glosses).split()


def read_corpus(folder: Path, split: str = "train") -> list[Pair]:
    """The (german tokens, gloss tokens) pairs of `folder`/`split`.de and .gloss; pairs with an
    empty side are skipped. InvalidInputError names the file when the folder is not a corpus."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInputError(f"corpus folder {folder} does not exist")
    paths = [folder / f"{split}.de", folder / f"{split}.gloss"]
    for path in paths:
        if not path.is_file():
            raise InvalidInputError(f"{path} is missing: a corpus folder holds {split}.de and {split}.gloss")
    try:
        german, glosses = (p.read_text(encoding="utf-8").splitlines() for p in paths)
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"a corpus file in {folder} is not UTF-8 text: {exc}") from None
    if len(german) != len(glosses):
        raise InvalidInputError(
            f"{paths[0]} has {len(german)} lines but {paths[1]} has {len(glosses)}: they must pair line by line"
        )
    pairs = [(tokenise_german(d), tokenise_glosses(g)) for d, g in zip(german, glosses)]
    pairs = [(d, g) for d, g in pairs if d and g]
    if not pairs:
        raise InvalidInputError(f"{folder} has no sentence pairs in {split}.de / {split}.gloss")
    return pairs
