"""The translation memory store: exact and fuzzy reuse, refusals, persistence, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError
from signavatar.translation_memory import TranslationMemory, memory_key


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    return TranslationMemory(tmp_path / "tm.sqlite")


def test_key_ignores_case_space_and_punctuation_but_keeps_question_marks() -> None:
    assert memory_key("  Ich  brauche, einen TERMIN. ") == "ich brauche einen termin"
    assert memory_key("Kommen Sie morgen??") == "kommen sie morgen ?"
    assert memory_key("Ku\u0308che") == memory_key("Küche")  # NFC


def test_exact_reuse(memory: TranslationMemory) -> None:
    memory.approve("Ich brauche einen Termin.", "TERMIN ICH BRAUCHEN", "anna", comment="word order")
    match = memory.lookup("ich brauche einen termin")
    assert match is not None and match.kind == "exact" and match.similarity == 1.0
    assert match.entry.glosses == "TERMIN ICH BRAUCHEN"
    assert (match.entry.approved_by, match.entry.comment) == ("anna", "word order")
    year, month, day = match.entry.approved_at[:10].split("-")
    assert match.note() == f"aus dem Übersetzungsgedächtnis (freigegeben am {day}.{month}.{year})"


def test_approve_again_replaces(memory: TranslationMemory) -> None:
    memory.approve("Ich brauche einen Termin.", "ICH TERMIN BRAUCHEN", "anna")
    memory.approve("ich brauche einen Termin", "TERMIN ICH BRAUCHEN", "ben")
    assert [(e.glosses, e.approved_by) for e in memory.entries()] == [("TERMIN ICH BRAUCHEN", "ben")]


@pytest.mark.parametrize(
    "text",
    [
        "Ich brauche den neuen Personalausweis.",  # article swapped
        "Ich brauche neuen Personalausweis.",  # article left out
        "Ich brauchte einen neuen Personalausweis.",  # verb ending
    ],
)
def test_fuzzy_reuse_for_near_identical_sentences(memory: TranslationMemory, text: str) -> None:
    memory.approve("Ich brauche einen neuen Personalausweis.", "ICH PERSONALAUSWEIS NEU BRAUCHEN", "anna")
    match = memory.lookup(text)
    assert match is not None and match.kind == "fuzzy"
    assert match.entry.glosses == "ICH PERSONALAUSWEIS NEU BRAUCHEN"


@pytest.mark.parametrize(
    "text",
    [
        "Der Termin kostet 37 Euro.",  # a number differs
        "Der Termin kostet zwölf Euro.",
        "Der Termin kostet 12 Euro?",  # a question now
        "Der Termin kostet nicht 12 Euro.",  # negation added
        "Die Gebühr kostet 12 Euro.",  # another noun
    ],
)
def test_refuses_fuzzy_match_that_would_change_the_glosses(memory: TranslationMemory, text: str) -> None:
    memory.approve("Der Termin kostet 12 Euro.", "TERMIN KOSTEN 12 EURO", "anna")
    assert memory.lookup(text) is None


@pytest.mark.parametrize("glosses", ["MORGEN fs-MEIER TERMIN KOMMEN", "MORGEN fs-MEIER{meier} TERMIN{termin} KOMMEN"])
def test_refuses_a_different_fingerspelled_name(memory: TranslationMemory, glosses: str) -> None:
    # an editor's mouthing (GLOSS{mouthing}) does not hide the spelled name
    memory.approve("Herr Meier kommt morgen zum Termin.", glosses, "anna")
    assert memory.lookup("Herr Maier kommt morgen zum Termin.") is None
    assert memory.lookup("Herr Meiers kommt morgen zum Termin.") is None  # a name has no inflection
    assert memory.lookup("Herr Meier kommt morgen zum Termine.") is not None


def test_short_sentences_need_an_exact_match(memory: TranslationMemory) -> None:
    memory.approve("Guten Tag", "HALLO", "anna")
    assert memory.lookup("Guten Tage") is None
    assert memory.lookup("guten tag!") is None  # "!" is kept in the key


def test_persists_across_instances(tmp_path: Path) -> None:
    TranslationMemory(tmp_path / "tm.sqlite").approve("Wo ist das Amt?", "AMT WO", "anna")
    match = TranslationMemory(tmp_path / "tm.sqlite").lookup("Wo ist das Amt?")
    assert match is not None and match.entry.glosses == "AMT WO"


def test_lookup_without_a_file_creates_nothing(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "sub" / "tm.sqlite")
    assert memory.lookup("Hallo") is None and memory.entries() == [] and not memory.remove("Hallo")
    assert not (tmp_path / "sub").exists()


def test_concurrent_approvals_from_threads(memory: TranslationMemory) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(10):
                memory.approve(f"Satz {n} Nummer {k}", f"SATZ {n} {k}", f"editor{n}")
                assert memory.lookup(f"satz {n} nummer {k}") is not None
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(memory.entries()) == 80
    with sqlite3.connect(memory.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_remove(memory: TranslationMemory) -> None:
    memory.approve("Ich brauche einen Termin.", "TERMIN ICH BRAUCHEN", "anna")
    assert memory.remove("ICH BRAUCHE EINEN TERMIN") and memory.lookup("Ich brauche einen Termin.") is None


@pytest.mark.parametrize(("text", "glosses", "editor"), [("...", "A", "x"), ("Hallo", "  ", "x"), ("Hallo", "A", " ")])
def test_approve_refuses_empty_fields(memory: TranslationMemory, text: str, glosses: str, editor: str) -> None:
    with pytest.raises(InvalidInputError):
        memory.approve(text, glosses, editor)
