"""The committed glosses/ folder: everything loads, counts, lookups, and the sign data's own rules."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from signavatar.avatar.skeleton import JOINTS
from signavatar.lexicon import DIRECTIONS, FACE_CHANNELS, LOCATIONS, Lexicon, SignEntry, load_lexicon

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"
ALL_JOINTS = [name for name, _ in JOINTS]
LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "Ä", "Ö", "Ü", "ß", "SCH"]
REQUIRED = """
TERMIN AUSWEIS PERSONALAUSWEIS PASS ANTRAG BÜRGERAMT AMT ANMELDEN ABMELDEN UMZIEHEN WOHNUNG ADRESSE
GELD KOSTEN BEZAHLEN EURO WARTEN HEUTE MORGEN GESTERN JETZT WOCHE UHR
MONTAG DIENSTAG MITTWOCH DONNERSTAG FREITAG SAMSTAG SONNTAG
ICH DU SIE WIR WO WANN WAS WIE WER WARUM BRAUCHEN HABEN KOMMEN GEHEN HELFEN BEANTRAGEN NEU
FOTO FORMULAR NICHT KEIN JA NEIN BITTE DANKE HALLO KÖNNEN MÜSSEN WOLLEN GEBEN BRINGEN UNTERSCHREIBEN
ONLINE GEBURTSURKUNDE KIND NAME
""".split()
#: the glosses issue 22's meaning-keeping rules emit (clause logic, focus particles, prepositions,
#: durations, large numbers, senses): signed, not fingerspelled
MEANING_GLOSSES = """
ODER ABER SONDERN DANN NUR NOCH SCHON SELBST AB SEIT VOR NACH UNTER ÜBER PRO INNERHALB BIS-ZU UNGEFÄHR
LANG LANGE WIE-LANGE ZUM-BEISPIEL KOMMA TAUSEND MILLION BEKOMMEN ZEIT BESCHEID INFORMIEREN FRAU MANN
NACH-HAUSE PERSON LÄNGER WENIGER FRÜHER RATHAUS SPRECHEN SAGEN
""".split()


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def lexical(lexicon: Lexicon) -> list[SignEntry]:
    return [e for e in lexicon.entries.values() if e.is_lexical]


def test_default_root_is_the_repository_folder_and_cached(lexicon: Lexicon) -> None:
    assert load_lexicon() is lexicon
    fresh = load_lexicon(GLOSSES)
    assert fresh is not lexicon
    assert fresh.version == lexicon.version
    assert len(lexicon.version) == 12 and int(lexicon.version, 16) >= 0


def test_counts(lexicon: Lexicon) -> None:
    assert len(lexical(lexicon)) >= 150
    assert sum(e.is_letter for e in lexicon.entries.values()) == 31
    numbers = {e.gloss for e in lexicon.entries.values() if e.is_number}
    assert numbers == {f"NUM-{n}" for n in [*range(11), *range(20, 100, 10), 100, 1000]}
    assert len(lexicon) == len(lexicon.entries)


@pytest.mark.parametrize("gloss", REQUIRED + MEANING_GLOSSES)
def test_required_sign_present_with_lemmas(lexicon: Lexicon, gloss: str) -> None:
    assert gloss in lexicon
    entry = lexicon.get(gloss)
    assert entry is not None and entry.lemmas


def test_provenance_is_honest(lexicon: Lexicon) -> None:
    for entry in lexicon.entries.values():
        assert entry.reviewed is False, entry.gloss
        assert entry.source in ("hand-authored", "recorded"), entry.gloss
        assert (entry.source == "recorded") == (entry.recording is not None), entry.gloss
        assert entry.description.strip(), entry.gloss
        assert entry.path.stem == entry.gloss


def test_lemma_map(lexicon: Lexicon) -> None:
    lemmas = lexicon.lemma_map()
    expected = {"termin": "TERMIN", "perso": "PERSONALAUSWEIS", "personalausweis": "PERSONALAUSWEIS",
                "reisepass": "PASS", "zahlen": "BEZAHLEN", "bezahlen": "BEZAHLEN", "sie": "SIE", "er": "SIE",
                "kein": "KEIN", "mich": "ICH", "dir": "DU", "uhr": "UHR", "bürgeramt": "BÜRGERAMT",
                # a sign of its own wins over an older entry that also listed the word
                "lange": "LANGE", "lang": "LANG", "zeit": "ZEIT", "bescheid": "BESCHEID",
                "informieren": "INFORMIEREN", "person": "PERSON", "dauern": "DAUERN",
                # two-word phrases are keys of their own (units.py joins two adjacent words)
                "wie lange": "WIE-LANGE", "zum beispiel": "ZUM-BEISPIEL", "bis zu": "BIS-ZU",
                "nach hause": "NACH-HAUSE", "millionen": "MILLION", "bekommen": "BEKOMMEN"}
    for lemma, gloss in expected.items():
        assert lemmas[lemma] == gloss
    assert all(not g.startswith(("FS-", "NUM-")) for g in lemmas.values())
    assert all(k == k.lower() for k in lemmas)


def test_lexical_signs_differ_in_form(lexicon: Lexicon) -> None:
    """No two lexical signs are the same movement of the same hands (they would differ only by
    mouthing); TAUSEND shares NUM-1000's form on purpose, but NUM-1000 is a number sign."""
    seen: dict[tuple[object, ...], str] = {}
    for entry in lexical(lexicon):
        if entry.recording is not None:
            continue
        form = tuple((k.t, k.right, k.left) for k in entry.keyframes)
        assert form not in seen, f"{entry.gloss} has the same form as {seen.get(form)}"
        seen[form] = entry.gloss
    assert lexicon.entries["TAUSEND"].keyframes == lexicon.entries["NUM-1000"].keyframes


def test_letters_and_numbers(lexicon: Lexicon) -> None:
    for letter in LETTERS:
        assert lexicon.letter(letter).gloss == f"FS-{letter}"
    assert lexicon.letter("ä").gloss == "FS-Ä"
    assert lexicon.letter("a").gloss == "FS-A"
    assert lexicon.letter("sch").gloss == "FS-SCH"
    assert lexicon.letter("ß").gloss == "FS-ß"
    assert lexicon.number(7).gloss == "NUM-7"
    assert lexicon.number(0).gloss == "NUM-0"
    for bad in ("1", "", "AB", "é"):
        with pytest.raises(KeyError):
            lexicon.letter(bad)
    for n in (-1, 11, 100):
        with pytest.raises(KeyError):
            lexicon.number(n)


def test_fingerspelling_layout(lexicon: Lexicon) -> None:
    """The letters are recordings of the spoken-to-signed alphabet (scripts/import_alphabet.py),
    signed with the right hand alone; FS-SCH has no recording and is hand-written. Lengths: a
    trimmed letter with its hold shortened to 0.3 s. FS-Q's recording holds the letter for only 6
    frames (0.2 s at 30 fps) before the hand goes down, so its entry is shorter (fingerspelling shows
    a letter's held frame for as long as its tempo needs, fingerspelling_motion.py)."""
    right_arm = {n for n in ALL_JOINTS if n.endswith(".R") and not n.startswith("eye")}
    for letter in LETTERS:
        entry = lexicon.letter(letter)
        assert entry.hands == "one", letter
        if letter == "SCH":
            assert entry.source == "hand-authored" and entry.recording is None
            assert entry.keyframes and entry.keyframes[0].right is not None
            continue
        assert entry.source == "recorded" and entry.recording is not None, letter
        rec = entry.recording
        assert set(rec.joints) <= right_arm and {"wrist.R", "finger2-3.R"} <= set(rec.joints), letter
        assert (0.15 if letter == "Q" else 0.25) <= rec.seconds <= 0.8, (letter, rec.seconds)


def test_number_signs(lexicon: Lexicon) -> None:
    for n in range(11):
        entry = lexicon.number(n)
        assert entry.hands == ("two" if n > 5 else "one")


def test_lexical_signs_move_visibly(lexicon: Lexicon) -> None:
    for entry in lexical(lexicon):
        assert 0.2 <= entry.duration <= 1.2, entry.gloss
        if entry.recording is not None:
            continue
        poses = [k.right for k in entry.keyframes if k.right is not None]
        locations = {p.location for p in poses}
        travel = max(math.dist(a.offset, b.offset) for a in poses for b in poses)
        turned = max(abs(a.twist - b.twist) for a in poses for b in poses)
        changed = len({(p.handshape, p.palm, p.fingers, p.bend) for p in poses}) > 1
        assert len(locations) > 1 or travel >= 0.03 or turned >= 20 or changed, (
            f"{entry.gloss}: right hand travels {travel:.3f} m, turns {turned:.0f} deg, keeps its form")


def test_nonmanual_markers(lexicon: Lexicon) -> None:
    for gloss in ("WO", "WANN", "WAS", "WIE", "WER", "WARUM"):
        entry = lexicon.entries[gloss]
        assert all(k.face.get("brows_down", 0) > 0.3 for k in entry.keyframes), gloss
    for gloss in ("NICHT", "KEIN"):
        assert any(k.face.get("head_shake", 0) > 0.3 for k in lexicon.entries[gloss].keyframes), gloss


def test_vocabularies_and_handshapes(lexicon: Lexicon) -> None:
    assert len(LOCATIONS) == 20 and len(DIRECTIONS) == 6 and len(FACE_CHANNELS) == 11
    needed = {"A", "B", "B-spread", "1", "V", "S", "C", "O", "Y", "L", "W", "bent-B", "flat-O", "F", "baby-O",
              "claw", "X", "H", "I", "K", "T", "E", "M", "N", "P", "Q", "R", "U", "D", "G"}
    assert needed <= set(lexicon.handshapes)
    for name, shape in lexicon.handshapes.items():
        assert shape.name == name and shape.description
        for finger in (shape.thumb, shape.index, shape.middle, shape.ring, shape.pinky):
            assert len(finger) == 4 and all(isinstance(a, float) for a in finger)
    used = {
        p.handshape for e in lexicon.entries.values() for k in e.keyframes for p in (k.right, k.left) if p
    }
    assert used <= set(lexicon.handshapes)
