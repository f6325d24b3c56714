"""A tiny synthetic German -> gloss corpus from templates (with reordering and dropped words)."""

from __future__ import annotations

import itertools
import random

DAYS = {"montag": "MONTAG", "dienstag": "DIENSTAG", "mittwoch": "MITTWOCH", "donnerstag": "DONNERSTAG",
        "freitag": "FREITAG", "samstag": "SAMSTAG", "sonntag": "SONNTAG"}
REGIONS = {"norden": "NORD", "süden": "SUED", "osten": "OST", "westen": "WEST"}
WEATHER = {"regen": "REGEN", "schnee": "SCHNEE", "sonne": "SONNE", "gewitter": "GEWITTER", "nebel": "NEBEL"}
TEMPLATES = [
    ("am {d} gibt es im {r} {w} .", "{D} {R} {W}"),
    ("im {r} gibt es am {d} viel {w} .", "{D} {R} {W} VIEL"),
    ("am {d} bleibt es im {r} ohne {w} .", "{D} {R} {W} NICHT"),
]

Pair = tuple[str, str]


def all_pairs() -> list[Pair]:
    pairs = []
    for (de, gl), d, r, w in itertools.product(TEMPLATES, DAYS, REGIONS, WEATHER):
        pairs.append((de.format(d=d, r=r, w=w), gl.format(D=DAYS[d], R=REGIONS[r], W=WEATHER[w])))
    return pairs


def split(n_train: int = 200, seed: int = 0) -> tuple[list[Pair], list[Pair]]:
    """(train, held-out) sentence pairs; every held-out sentence is new, its words are not."""
    pairs = all_pairs()
    random.Random(seed).shuffle(pairs)
    return pairs[:n_train], pairs[n_train:]
