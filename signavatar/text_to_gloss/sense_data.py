"""The sense layer's data (glosses/senses.json, described in glosses/SENSES.md): German lemma -> the
signs it can be translated by, each with a German label and the context cues that choose it.

Plain data a linguist edits; this module only reads and checks it. Choosing a sense in a clause is
senses.py's work.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signavatar.lexicon.load import DEFAULT_ROOT

SENSES_FILE = DEFAULT_ROOT / "senses.json"
SCHEMA = 1
CUE_NAMES = frozenset({"verb", "bare", "before", "clause", "reflexive", "pos"})
"""verb: a verb of the clause has one of these lemmas; bare: no article or determiner before the
word; before: one of the two words before it is one of these; clause: another word of the clause is
one of these; reflexive: the clause has a reflexive pronoun; pos: the word's STTS tag starts with one
of these. SENSES.md has examples."""


@dataclass(frozen=True)
class Cues:
    """When a sense applies; every cue given must hold (an empty Cues always holds)."""

    verb: frozenset[str] = frozenset()
    bare: bool = False
    before: frozenset[str] = frozenset()
    clause: frozenset[str] = frozenset()
    reflexive: bool = False
    pos: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self == Cues()


@dataclass(frozen=True)
class Sense:
    """One way to sign a lemma.

    glosses: the signs, in order (usually one); () means the word is not signed in this sense.
    label: German, for --explain and the editor ("Schreiben des Amts", "Synonym").
    takes_verb: the verb named by the `verb` cue belongs to this sense and is not signed on its own
        ("Bescheid geben" -> INFORMIEREN, not INFORMIEREN GEBEN).
    """

    glosses: tuple[str, ...]
    label: str
    cues: Cues = Cues()
    takes_verb: bool = False


@dataclass(frozen=True)
class SenseEntry:
    """The senses of one lemma ("erhalten", "bescheid", "nach hause"), tried in order.

    An entry without any cues is a synonym list: used only when the lexicon has no sign for the
    word, its first sense taken, the others offered in the editor. An entry with cues is a word
    of several senses: the data decides for it even when the lexicon lists the lemma, because a
    lemma -> sign map cannot tell senses apart.
    """

    lemma: str
    senses: tuple[Sense, ...]

    @property
    def has_cues(self) -> bool:
        return any(not sense.cues.empty for sense in self.senses)


@dataclass(frozen=True)
class SenseChoice:
    """The sense taken for one unit: the entry's lemma, the sense, and the rule it is credited to
    ("synonym" for an entry without cues, "sense" for one chosen by context)."""

    lemma: str
    sense: Sense
    rule: str


class SenseDataError(ValueError):
    """glosses/senses.json does not follow SENSES.md: the message names the entry and the field."""


@functools.lru_cache(maxsize=4)
def sense_table(path: Path = SENSES_FILE) -> dict[str, SenseEntry]:
    """Lower-case lemma (or two-word phrase) -> its entry, read once per process."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SenseDataError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("entries"), dict):
        raise SenseDataError(f"{path}: needs {{\"schema\": {SCHEMA}, \"entries\": {{lemma: [sense, ...]}}}}")
    return {lemma: _entry(lemma, senses, path) for lemma, senses in data["entries"].items()}


def _entry(lemma: str, senses: Any, path: Path) -> SenseEntry:
    where = f"{path}: {lemma!r}"
    if lemma != lemma.lower().strip() or not lemma or len(lemma.split()) > 2:
        raise SenseDataError(f"{where}: a lemma is one or two lower-case words")
    if not isinstance(senses, list) or not senses:
        raise SenseDataError(f"{where}: needs a non-empty list of senses")
    parsed = tuple(_sense(sense, f"{where}[{n}]", single=len(senses) == 1) for n, sense in enumerate(senses))
    return SenseEntry(lemma, parsed)


def _sense(raw: Any, where: str, single: bool) -> Sense:
    if not isinstance(raw, dict) or not set(raw) <= {"gloss", "label", "when", "takes_verb", "note"}:
        raise SenseDataError(f"{where}: a sense has gloss, label, when, takes_verb, note")
    gloss = raw.get("gloss")
    if gloss is not None and (not isinstance(gloss, str) or not gloss.strip() or gloss != gloss.upper()):
        raise SenseDataError(f"{where}: gloss is upper-case glosses separated by spaces, or null (not signed)")
    label = raw.get("label", "Synonym" if single and gloss else "")
    if not isinstance(label, str) or not label:
        raise SenseDataError(f"{where}: label (German, what this sense means) is required")
    cues = _cues(raw.get("when", {}), where)
    takes_verb = raw.get("takes_verb", False)
    if takes_verb is not False and (takes_verb is not True or not cues.verb):
        raise SenseDataError(f"{where}: takes_verb is true only with a `verb` cue")
    return Sense(tuple(gloss.split()) if gloss else (), label, cues, takes_verb)


def _cues(raw: Any, where: str) -> Cues:
    if not isinstance(raw, dict) or not set(raw) <= CUE_NAMES:
        raise SenseDataError(f"{where}: when has only {', '.join(sorted(CUE_NAMES))}")
    for flag in ("bare", "reflexive"):
        if flag in raw and raw[flag] is not True:
            raise SenseDataError(f"{where}: when.{flag} is true or absent")
    words: dict[str, frozenset[str]] = {}
    for name in ("verb", "before", "clause", "pos"):
        value = raw.get(name, [])
        listed = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        if not listed or (name in raw and not value):
            raise SenseDataError(f"{where}: when.{name} is a non-empty list of words")
        words[name] = frozenset(v if name == "pos" else v.lower() for v in value)
    return Cues(words["verb"], "bare" in raw, words["before"], words["clause"], "reflexive" in raw,
                tuple(sorted(words["pos"])))
