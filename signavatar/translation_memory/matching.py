"""When a stored sentence counts as the same, or as near-identical, for reusing its glosses.

Exact: both texts have the same key — NFC, case-folded, every run of punctuation and whitespace
collapsed to one space, except "?" and "!", which stay as tokens because they change the sentence
type (and with it the face of the signer): "Sie kommen morgen?" is not "Sie kommen morgen.".

Fuzzy: the key tokens of the stored sentence and the new one are close — difflib's ratio on the
token lists is at least FUZZY_RATIO (0.9), or both have at least FUZZY_MIN_TOKENS (4) tokens and
differ in one token edit — AND every difference is one that cannot change the glosses:
- an article or filler word added, left out or swapped (DGS has no articles: "der", "einen", "mal");
- a word replaced by another inflection of it: the same stem of at least 4 letters, different
  endings of at most 3 letters ("brauche" / "brauchen", "Termin" / "Termine"; also "brauchte":
  DGS signs tense with time signs, not on the verb, so a tense ending alone changes no gloss).
Texts of more than MAX_FUZZY_TOKENS tokens are matched exactly only, and `may_match` drops a
stored sentence that cannot be close before difflib compares it: difflib's matching grows with the
cube of the length on repetitive token lists (a 1,000-token text took 6 s per stored entry).
Everything else refuses the fuzzy match (the caller then translates afresh), in particular a
difference in a number (digits or a number word: "12" / "37", "zwölften" / "dreizehnten"), in a
negation ("nicht", "kein…"), in "?"/"!", or in a name the editor fingerspelled (fs-MEIER:
"Meier" / "Maier"). We refuse rather than substitute the differing token: an approved gloss
sequence may sign a number in several glosses or move it, so a substitution can go wrong silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from difflib import SequenceMatcher

FUZZY_RATIO = 0.9
FUZZY_MIN_TOKENS = 4
MIN_STEM = 4
MAX_ENDING = 3
#: longer texts only match exactly: a paragraph is not a sentence editors approve in small variants,
#: and comparing two this long costs about 4 ms per stored entry at worst
MAX_FUZZY_TOKENS = 100

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[?!]")
FILLERS = frozenset(
    "der die das den dem des ein eine einen einem einer eines mal doch denn ja halt eben".split()
)
NEGATIONS = frozenset("nicht nichts nie niemals niemand ohne kein keine keinen keinem keiner keines".split())
_NUMBER_WORD = re.compile(
    r"(?:ein|eins|zwei|drei|vier|fünf|sechs|sieben|sieb|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|"
    r"fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|million|millionen|milliarde|und|erst|dritt|"
    r"halb|viertel)+(?:s?te[nmrs]?|n)?"
)


def key_tokens(text: str) -> list[str]:
    """The tokens of the normalised key: words case-folded, "?" and "!" kept, other punctuation gone."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", text).casefold())
    # "??" or "?!" at the end is one sentence mark, not two
    return [t for i, t in enumerate(tokens) if not (t in "?!" and i > 0 and tokens[i - 1] in "?!")]


def memory_key(text: str) -> str:
    """The exact-match key of a text ("" when it has no words)."""
    return " ".join(key_tokens(text))


def may_match(old: Sequence[str], new: Sequence[str]) -> bool:
    """False when `fuzzy_ok(old, new)` is certainly False; linear in the tokens, unlike difflib.

    Both ways of matching need many tokens in common: a ratio of at least 0.9 needs
    2 * common >= 0.9 * (len(old) + len(new)), one token edit needs common >= the longer length - 1,
    and difflib's matches are at most the tokens the two have in common (counted with repeats).
    """
    common = sum((Counter(old) & Counter(new)).values())
    longer = max(len(old), len(new))
    return 20 * common + 1 >= 9 * (len(old) + len(new)) or common >= longer - 1


def similarity(old: Sequence[str], new: Sequence[str]) -> float:
    return SequenceMatcher(None, list(old), list(new), autojunk=False).ratio()


def fuzzy_ok(old: Sequence[str], new: Sequence[str], names: Collection[str] = ()) -> bool:
    """Whether glosses approved for key tokens `old` may be reused for `new` (see the module doc).

    names: upper-case names the approved glosses fingerspell (fs-MEIER -> "MEIER").
    """
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    edits = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a, b = old[i1:i2], new[j1:j2]
        edits += max(len(a), len(b))
        if op == "replace":
            if len(a) != len(b) or not all(_inflection(x, y, names) for x, y in zip(a, b)):
                return False
        elif not all(t in FILLERS for t in (*a, *b)):
            return False
    close = matcher.ratio() >= FUZZY_RATIO
    one_edit = min(len(old), len(new)) >= FUZZY_MIN_TOKENS and edits <= 1
    return edits > 0 and (close or one_edit)


def _inflection(a: str, b: str, names: Collection[str]) -> bool:
    if a in FILLERS and b in FILLERS:  # "einen" / "den"
        return True
    if _protected(a, names) or _protected(b, names):
        return False
    stem = 0
    while stem < min(len(a), len(b)) and a[stem] == b[stem]:
        stem += 1
    return stem >= MIN_STEM and len(a) - stem <= MAX_ENDING and len(b) - stem <= MAX_ENDING


def _protected(token: str, names: Collection[str]) -> bool:
    return (
        token in "?!"
        or any(c.isdigit() for c in token)
        or token in NEGATIONS
        or bool(_NUMBER_WORD.fullmatch(token))
        or token.upper() in names
    )
