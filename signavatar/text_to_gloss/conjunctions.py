"""Clause logic: where a sentence splits into clauses, and which conjunctions are signed.

- Two clauses joined by a coordinating conjunction, each with its own verb ("Ich gehe zum Amt und
  meine Frau wartet zu Hause", "Rufen Sie an oder schreiben Sie eine E-Mail"), are split: each is
  ordered on its own, so its verb closes its own clause instead of piling up with the other's at
  the end. Between phrases without a verb of their own ("einen Pass und ein Foto", "bar oder mit
  Karte bezahlen") nothing is split: that is an enumeration inside one clause.
- "sondern", and "aber" or "oder" where only one side is negated, always split: in "nicht X,
  sondern Y" (X NICHT SONDERN Y) the headshake belongs to X's part only, and one clause would
  spread it over Y and invert the meaning.
- A subordinate clause without its comma ("Falls Sie krank sind kommen Sie später") ends where a
  finite verb, followed by no further verb, comes right after its own verb.
- "oder" -> ODER, "aber" -> ABER, "sondern" -> SONDERN are signed where they stand, between what
  they join (with the role of both sides: "heute oder morgen" stays a time expression); opening a
  clause they come first in it, as does "dann" after a condition (WENN-clause ... DANN ...).
  "und" is not signed (word_classes.UNSIGNED_WORDS), although the lexicon has UND for editors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.clause_markers import CONDITION_WORDS, is_condition
from signavatar.text_to_gloss.signing_unit import Unit, dropped
from signavatar.text_to_gloss.tagging import TaggedWord

#: conjunction lemma -> the rule that signs it where it stands
SIGNED_CONJUNCTIONS = {"oder": "conjunction-oder", "aber": "conjunction-aber", "sondern": "contrast-sondern"}
#: conjunctions that can join two clauses (KON)
CLAUSE_CONJUNCTIONS = frozenset({"und", "oder", "aber", "sondern", "denn", "doch"})
#: conjunctions whose part after a comma is always a clause of its own
CONTRASTS = frozenset({"aber", "sondern"})
#: conjunctions that join a condition clause to a second one ("Wenn Sie krank sind oder Fieber haben")
CONDITION_CONTINUATIONS = frozenset({"und", "oder"})
#: a clause-opening adverb that links back to the condition before it
CONDITION_CONSEQUENCE = "dann"
_CONTENT_TAGS = ("NN", "NE", "ADJ", "ADV", "CARD", "PPER", "PDS", "PIS", "PTKNEG", "PIAT")


def split_coordinated(clause: Sequence[TaggedWord]) -> list[list[TaggedWord]]:
    """Cut one comma-delimited clause further: after a subordinate clause written without its
    comma, and before a conjunction that joins two clauses (see the module doc)."""
    pieces: list[list[TaggedWord]] = []
    for piece in _split_subordinate(list(clause)):
        pieces.extend(_split_at_conjunctions(piece))
    return pieces


def opens_own_clause(part: Sequence[TaggedWord], rest: Iterable[Sequence[TaggedWord]]) -> bool:
    """A comma part is a clause even without a verb when it is a condition ("Wenn möglich",
    "Falls nötig") or a contrast ("..., aber nicht bar", "..., sondern den Ausweis"): its signs
    must not take the other part's headshake. Not when a verbless part follows (`rest`: the parts
    after it): in "Bringen Sie, falls vorhanden, den alten Ausweis mit" it is an aside."""
    if not part or (part[0].surface.lower() not in CONDITION_WORDS and part[0].key not in CONTRASTS):
        return False
    following = next((p for p in rest if p), None)
    return following is None or any(wc.is_verb(w.pos) for w in following)


def condition_flags(clauses: Sequence[Sequence[TaggedWord]]) -> list[bool]:
    """Which clauses are conditions (signed first, raised brows): those opening with wenn/falls/
    sofern, and a clause joined to one by "und"/"oder" ("Wenn Sie umziehen und eine Wohnung
    haben"). None when every clause is one: a condition needs a main clause to come before."""
    flags: list[bool] = []
    for n, clause in enumerate(clauses):
        continued = n > 0 and flags[-1] and clause[0].pos == "KON" and clause[0].key in CONDITION_CONTINUATIONS
        flags.append(is_condition(clause) or continued)
    return [False] * len(flags) if all(flags) else flags


def connector_unit(word: TaggedWord, i: int) -> Unit | None:
    """The unit of a conjunction this module signs or moves, None for any other word.

    ODER, ABER, SONDERN: signed (fingerspelled when the lexicon lacks them: they carry the
    meaning). A conjunction opening a clause has role "link" (first in its clause); a "weil",
    "dass" there is still optional (signed where the lexicon has it); an "und" there is dropped,
    naming the clause split as its reason. "dann" opening a clause is signed first in it."""
    words, key = (word.surface,), word.key
    if key in SIGNED_CONJUNCTIONS and (word.pos == "KON" or i == 0):  # "..., aber nicht gut": tagged ADV
        return Unit(words, "link" if i == 0 else "content", (key,), key, rule=SIGNED_CONJUNCTIONS[key])
    if i == 0 and key in wc.UNSIGNED_WORDS:  # "und" joining two clauses: they stand side by side
        return dropped(words, "clause-und")
    if i == 0 and word.pos in ("KON", "KOUS"):  # WEIL, where the lexicon has it, opens its clause
        return Unit(words, "link", (key,), word.lemma, optional=True, drop_rule="drop-function-word", rule="lexicon")
    if i == 0 and key == CONDITION_CONSEQUENCE and word.pos == "ADV":
        return Unit(words, "link", (key,), key, rule="condition-dann")
    return None


def not_only_unit(clause: Sequence[TaggedWord], i: int) -> Unit | None:
    """The "nicht" of "nicht nur" ("Sie brauchen nicht nur den Pass, sondern auch ein Foto"): it
    negates "nur", not the verb, so it is signed in place (NICHT NUR PASS) without the headshake
    over the verb; None for any other word."""
    word = clause[i]
    if word.key != "nicht" or i + 1 >= len(clause) or clause[i + 1].key != "nur":
        return None
    return Unit((word.surface,), "content", ("nicht",), "nicht", rule="contrast-sondern")


def place_connectors(units: list[Unit]) -> list[Unit]:
    """An in-clause conjunction (ODER, ABER, SONDERN, and UND where the lexicon has it) takes the
    role of the signs on both sides when they share it ("heute oder morgen" moves first with the
    time, "ausfüllen und unterschreiben" stays between the verbs); else it stays a content sign
    where it stands."""
    result = list(units)
    for k, unit in enumerate(units):
        if unit.role != "content" or not unit.keys or unit.keys[0] not in CLAUSE_CONJUNCTIONS:
            continue
        before = next((u.role for u in reversed(units[:k]) if u.role != "dropped" and not u.optional), None)
        after = next((u.role for u in units[k + 1:] if u.role != "dropped" and not u.optional), None)
        if before is not None and before == after and before not in ("content", "link"):
            result[k] = replace(unit, role=before)
    return result


def _split_subordinate(clause: list[TaggedWord]) -> list[list[TaggedWord]]:
    """ "Falls Sie krank sind kommen Sie später" -> the subordinate clause, then the main clause:
    in a clause opened by a subordinating conjunction, before a verb that directly follows a verb
    and is not itself followed by one: the subordinate clause ends in its verbs, so that one is
    the main clause's finite verb, put first."""
    if len(clause) < 4 or clause[0].pos != "KOUS":
        return [clause]
    for k in range(2, len(clause) - 1):
        current, previous, following = clause[k], clause[k - 1], clause[k + 1]
        verb_first = wc.is_verb(current.pos) and not wc.is_participle(current.pos)  # the tagger may say (INF)
        if wc.is_verb(previous.pos) and verb_first and not wc.is_verb(following.pos):
            return [clause[:k], clause[k:]]
    return [clause]


def _split_at_conjunctions(clause: list[TaggedWord]) -> list[list[TaggedWord]]:
    """Cut before each coordinating conjunction that joins two clauses (module doc)."""
    cuts: list[int] = []
    start = 0
    conjunctions = [k for k, w in enumerate(clause) if k > 0 and w.pos == "KON" and w.key in CLAUSE_CONJUNCTIONS]
    for n, k in enumerate(conjunctions):
        end = conjunctions[n + 1] if n + 1 < len(conjunctions) else len(clause)
        left, right = clause[start:k], clause[k + 1:end]
        if _joins_clauses(clause[k].key, left, right):
            cuts.append(k)
            start = k
    bounds = [0, *cuts, len(clause)]
    return [clause[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _joins_clauses(key: str, left: Sequence[TaggedWord], right: Sequence[TaggedWord]) -> bool:
    """Does the conjunction join two clauses rather than two phrases of one?

    "sondern" always; "aber"/"oder"/"und" when only one side is negated ("jeden Tag, aber nicht
    am Montag"); else when both sides have a verb of their own: both a finite one ("Ich gehe und
    sie wartet"), or a full verb on the left and a verb with its own object or adverb on the
    right ("anrufen oder eine E-Mail schreiben"; not "ausfüllen und unterschreiben", which share
    everything, nor "Sie können bar oder mit Karte bezahlen", whose left side has only the modal).
    """
    if not left or not right:
        return False
    if key == "sondern" or _negated(left) != _negated(right):
        return True
    if not any(wc.is_verb(w.pos) for w in right):
        return False
    both_finite = _has_finite(left) and _has_finite(right) and not _infinitive_of(left, right)
    full_left = any(w.pos.startswith("VV") for w in left)
    right_content = any(w.pos.startswith(_CONTENT_TAGS) for w in right)
    return both_finite or (full_left and right_content)


def _infinitive_of(left: Sequence[TaggedWord], right: Sequence[TaggedWord]) -> bool:
    """Is the right side's verb the infinitive of the left side's modal or auxiliary ("Sie können
    heute oder morgen kommen": the tagger may call "kommen" finite)? Its last word is an -n verb
    and the left side has no full verb."""
    last = right[-1]
    return wc.is_verb(last.pos) and last.surface.endswith("n") and not any(w.pos.startswith("VV") for w in left)


def _has_finite(words: Sequence[TaggedWord]) -> bool:
    return any(wc.is_verb(w.pos) and w.pos.endswith(("(FIN)", "(IMP)")) for w in words)


def _negated(words: Sequence[TaggedWord]) -> bool:
    return any(w.key in wc.NEGATION_LEMMAS for w in words)
