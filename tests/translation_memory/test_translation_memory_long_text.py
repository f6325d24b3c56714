"""The memory's fuzzy lookup is bounded: a long public text against long stored ones takes
milliseconds (before: difflib took 57 s for 10 stored entries), and the cheap pre-check never
drops a match that the full check would make."""

from __future__ import annotations

import random
import time
from pathlib import Path

from signavatar.translation_memory import TranslationMemory
from signavatar.translation_memory.matching import MAX_FUZZY_TOKENS, fuzzy_ok, may_match


def test_a_long_text_is_looked_up_quickly_against_long_stored_ones(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    for k in range(5):  # repetitive texts are difflib's worst case
        memory.approve(" ".join(["a", "b"] * 499 + ["c"] * k), "HALLO", "editor")
        memory.approve(" ".join(f"w{j % 7}" for j in range(995 + k)), "HALLO", "editor")
    for text in (" ".join(["b", "a"] * 500), " ".join(f"w{(j * 3) % 7}" for j in range(1000)), "a " * 1000):
        start = time.monotonic()
        assert memory.lookup(text) is None
        assert time.monotonic() - start < 3.0
    exact = " ".join(["a", "b"] * 499)
    match = memory.lookup(exact)
    assert match is not None and match.kind == "exact", "long texts still match exactly"


def test_fuzzy_matching_still_works_up_to_the_token_limit(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    words = [f"wort{j}" for j in range(MAX_FUZZY_TOKENS - 1)]
    memory.approve(" ".join(["der", *words]), "HALLO", "editor")
    match = memory.lookup(" ".join(["die", *words]))  # an article swapped: the same glosses
    assert match is not None and match.kind == "fuzzy"
    longer = ["die", *words, "den"]  # a filler more: fuzzy_ok would accept it, but it is over the limit
    assert len(longer) > MAX_FUZZY_TOKENS and fuzzy_ok(["der", *words], longer)
    assert memory.lookup(" ".join(longer)) is None, "longer texts match exactly only"


def test_the_pre_check_never_refuses_what_fuzzy_ok_accepts() -> None:
    vocabulary = ["der", "die", "einen", "termin", "termine", "brauche", "brauchen", "ich", "nicht", "12", "?", "amt"]
    rng = random.Random(7)
    accepted = 0
    for _ in range(20_000):
        old = [rng.choice(vocabulary) for _ in range(rng.randint(1, 9))]
        new = list(old)
        for _ in range(rng.randint(0, 3)):  # a few edits, so that many pairs are close
            op = rng.randrange(3)
            if op == 0 and new:
                new.pop(rng.randrange(len(new)))
            elif op == 1:
                new.insert(rng.randrange(len(new) + 1), rng.choice(vocabulary))
            elif new:
                new[rng.randrange(len(new))] = rng.choice(vocabulary)
        if fuzzy_ok(old, new):
            accepted += 1
            assert may_match(old, new), (old, new)
    assert accepted > 500, "the generator makes enough matching pairs to mean something"
