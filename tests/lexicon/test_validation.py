"""Invalid lexicon folders written to tmp_path: each problem names the file and the field path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from signavatar.errors import LexiconError
from signavatar.lexicon import load_lexicon

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"


def good_sign(gloss: str = "TESTZEICHEN") -> dict[str, Any]:
    hand = {"handshape": "B", "location": "neutral", "offset": [0.0, 0.0, 0.0], "palm": "down",
            "fingers": "forward"}
    moved = dict(hand, offset=[0.0, 0.08, 0.0])
    return {
        "schema": 2, "gloss": gloss, "lemmas": ["Testzeichen"], "source": "hand-authored", "reviewed": False,
        "description": "The flat hand moves up.", "hands": "one", "duration": 0.8, "mouthing": "test",
        "keyframes": [{"t": 0.0, "right": hand, "face": {"brows_up": 0.2}}, {"t": 1.0, "right": moved}],
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "glosses"
    (folder / "signs").mkdir(parents=True)
    shutil.copy(GLOSSES / "handshapes.json", folder / "handshapes.json")
    return folder


def write(root: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = root / "signs" / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_valid_folder_loads(root: Path) -> None:
    write(root, "TESTZEICHEN.json", good_sign())
    lexicon = load_lexicon(root)
    entry = lexicon.entries["TESTZEICHEN"]
    assert entry.keyframes[1].right is not None and entry.keyframes[1].right.offset == (0.0, 0.08, 0.0)
    assert entry.keyframes[1].face == {}
    assert lexicon.lemma_map() == {"testzeichen": "TESTZEICHEN"}


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(key)


R0: list[str | int] = ["keyframes", 0, "right"]
R1: list[str | int] = ["keyframes", 1, "right"]
F0: list[str | int] = ["keyframes", 0, "face"]

# (test id, change to a valid sign, field path in the message, words of the problem)
CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("unknown handshape", _set([*R1, "handshape"], "Bx"), "keyframes[1].right.handshape",
     "unknown handshape 'Bx'"),
    ("bad location", _set([*R0, "location"], "belly"), "keyframes[0].right.location",
     "unknown location 'belly'"),
    ("t not increasing", _set(["keyframes", 1, "t"], 0.0), "keyframes[1].t", "not after"),
    ("first t not 0", _set(["keyframes", 0, "t"], 0.1), "keyframes[0].t", "t = 0"),
    ("gloss differs from file", _set(["gloss"], "ANDERES"), "gloss", "file name"),
    ("lower-case gloss", _set(["gloss"], "testzeichen"), "gloss", "upper case"),
    ("reviewed missing", _delete("reviewed"), "reviewed", "missing"),
    ("reviewed not bool", _set(["reviewed"], "no"), "reviewed", "true or false"),
    ("extra field", _set(["colour"], "red"), "colour", "unknown field"),
    ("extra hand field", _set([*R0, "handshap"], "B"), "keyframes[0].right.handshap", "unknown field"),
    ("palm == fingers", _set([*R1, "fingers"], "down"), "keyframes[1].right.fingers", "parallel"),
    ("palm opposite fingers", _set([*R1, "fingers"], "up"), "keyframes[1].right.fingers", "parallel"),
    ("bad direction", _set([*R0, "palm"], "sideways"), "keyframes[0].right.palm", "unknown direction"),
    ("offset too far", _set([*R0, "offset"], [0.0, 0.5, 0.0]), "keyframes[0].right.offset[1]", "outside"),
    ("offset wrong length", _set([*R0, "offset"], [0.0, 0.1]), "keyframes[0].right.offset", "3 numbers"),
    ("duration too long", _set(["duration"], 6), "duration", "outside"),
    ("duration 0.1", _set(["duration"], 0.1), "duration", "outside"),
    ("bad source", _set(["source"], "internet"), "source", "unknown source"),
    ("bad hands", _set(["hands"], "both"), "hands", "unknown hand count"),
    ("empty lemmas", _set(["lemmas"], []), "lemmas", "empty"),
    ("first keyframe without right", _set(["keyframes", 0], {"t": 0.0}), "keyframes[0].right", "missing"),
    ("unknown face channel", _set([*F0, "smile"], 0.5), "keyframes[0].face.smile", "unknown field"),
    ("face out of range", _set([*F0, "brows_up"], 1.5), "keyframes[0].face.brows_up", "outside"),
    ("two hands without left", _set(["hands"], "two"), "keyframes[0].left", "missing"),
    ("no keyframes", _set(["keyframes"], []), "keyframes", "non-empty"),
    ("schema 1", _set(["schema"], 1), "schema", "unsupported"),
    ("keyframes without duration", _delete("duration"), "duration", "missing"),
    ("keyframes and definition", _set(["definition"], {}), "keyframes", "only one of"),
    ("no motion at all", _delete("keyframes"), "keyframes", "missing"),
    ("t as bool", _set(["keyframes", 1, "t"], True), "keyframes[1].t", "expected a number"),
]


@pytest.mark.parametrize(("change", "field", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_sign_names_file_and_field(root: Path, change: Callable[[dict[str, Any]], None], field: str,
                                           problem: str) -> None:
    data = good_sign()
    change(data)
    write(root, "TESTZEICHEN.json", data)
    with pytest.raises(LexiconError) as info:
        load_lexicon(root)
    message = str(info.value)
    assert message.startswith("glosses/signs/TESTZEICHEN.json: "), message
    assert f": {field}: " in message, message
    assert problem in message, message


def test_bad_json_syntax(root: Path) -> None:
    write(root, "KAPUTT.json", '{"schema": 2, "gloss": "KAPUTT",,}')
    with pytest.raises(LexiconError, match=r"glosses/signs/KAPUTT\.json: \(json\): invalid JSON at line 1"):
        load_lexicon(root)


def test_unknown_handshape_message_lists_known(root: Path) -> None:
    data = good_sign()
    data["keyframes"][1]["right"]["handshape"] = "Bx"
    write(root, "TESTZEICHEN.json", data)
    with pytest.raises(LexiconError, match=r"unknown handshape 'Bx' \(known: 1, 3, 4, 5, A, B, "):
        load_lexicon(root)


def test_all_bad_files_are_listed(root: Path) -> None:
    write(root, "GUT.json", good_sign("GUT"))
    write(root, "EINS.json", good_sign("ZWEI"))
    bad = good_sign("DREI")
    bad["extra"] = 1
    write(root, "DREI.json", bad)
    with pytest.raises(LexiconError) as info:
        load_lexicon(root)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("glosses/signs/DREI.json: extra: ")
    assert lines[1].startswith("glosses/signs/EINS.json: gloss: ")


def test_umlaut_and_letter_file_names(root: Path) -> None:
    write(root, "BÜRGERAMT.json", good_sign("BÜRGERAMT"))
    letter = good_sign("FS-ß")
    letter["lemmas"] = []
    write(root, "FS-ß.json", letter)
    lexicon = load_lexicon(root)
    assert lexicon.letter("ß").gloss == "FS-ß"
    assert "BÜRGERAMT" in lexicon


def test_ss_rule_for_lexical_glosses(root: Path) -> None:
    write(root, "STRAßE.json", good_sign("STRAßE"))
    with pytest.raises(LexiconError, match=r"STRAßE\.json: gloss: .*ß written SS"):
        load_lexicon(root)


def test_handshape_file_errors(root: Path) -> None:
    table = json.loads((root / "handshapes.json").read_text(encoding="utf-8"))
    table["handshapes"]["B"]["index"] = [0, 0, 120, 0]
    (root / "handshapes.json").write_text(json.dumps(table), encoding="utf-8")
    expected = r"glosses/handshapes\.json: handshapes\.B\.index\[2\]: 120 is outside"
    with pytest.raises(LexiconError, match=expected):
        load_lexicon(root)
    table["handshapes"]["B"]["index"] = [0, 0, 0, 0]
    table["handshapes"]["B"]["colour"] = "pink"
    (root / "handshapes.json").write_text(json.dumps(table), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"handshapes\.json: handshapes\.B\.colour: unknown field"):
        load_lexicon(root)


def test_missing_handshapes_file(tmp_path: Path) -> None:
    (tmp_path / "glosses" / "signs").mkdir(parents=True)
    with pytest.raises(LexiconError, match=r"glosses/handshapes\.json"):
        load_lexicon(tmp_path / "glosses")


def test_version_changes_when_a_file_changes(root: Path) -> None:
    path = write(root, "TESTZEICHEN.json", good_sign())
    first = load_lexicon(root).version
    assert load_lexicon(root).version == first
    data = good_sign()
    data["duration"] = 0.9
    path.write_text(json.dumps(data), encoding="utf-8")
    second = load_lexicon(root).version
    assert second != first
    write(root, "ZWEITES.json", good_sign("ZWEITES"))
    assert load_lexicon(root).version not in (first, second)


def test_version_ignores_the_review_state_and_formatting(root: Path) -> None:
    # DESIGN.md: review state is not part of a sign's form, so reviewing keeps every clip id.
    data = good_sign()
    data["reviewed"] = False
    path = write(root, "TESTZEICHEN.json", data)
    first = load_lexicon(root).version
    path.write_text(json.dumps({**data, "reviewed": True}, indent=4), encoding="utf-8")
    reviewed = load_lexicon(root)
    assert reviewed.entries["TESTZEICHEN"].reviewed and reviewed.version == first
    path.write_text(json.dumps({**data, "reviewed": True, "duration": 0.9}), encoding="utf-8")
    assert load_lexicon(root).version != first


def test_entries_are_read_only(root: Path) -> None:
    write(root, "TESTZEICHEN.json", good_sign())
    lexicon = load_lexicon(root)
    with pytest.raises(TypeError):
        lexicon.entries["X"] = lexicon.entries["TESTZEICHEN"]  # type: ignore[index]
    entry = lexicon.entries["TESTZEICHEN"]
    with pytest.raises(AttributeError):
        entry.duration = 1.0  # type: ignore[misc]
    assert hash(entry) == hash(load_lexicon(root).entries["TESTZEICHEN"])


def good_definition(gloss: str = "TESTZEICHEN") -> dict[str, Any]:
    data = good_sign(gloss)
    del data["keyframes"], data["duration"]
    data["definition"] = {
        "hand": {"handshape": "B", "location": "neutral", "palm": "down", "fingers": "forward", "twist": 10},
        "movement": [{"type": "straight", "direction": "forward+up", "size": "medium", "repeat": 2},
                     {"type": "circle", "plane": "flat", "size": 0.1, "speed": "fast"}],
        "end": {"handshape": "S"},
        "face": {"brows_up": 0.5},
    }
    return data


def good_recording(gloss: str = "TESTZEICHEN") -> dict[str, Any]:
    data = good_sign(gloss)
    del data["keyframes"], data["duration"]
    data["source"] = "recorded"
    data["recording"] = {"fps": 25, "skeleton": "makehuman-default-upper-v1", "joints": ["wrist.R", "head"],
                         "frames": [[1, 0, 0, 0, 1, 0, 0, 0], [0.9659, 0.2588, 0, 0, 1, 0, 0, 0]]}
    return data


def test_definition_compiles_to_keyframes(root: Path) -> None:
    write(root, "TESTZEICHEN.json", good_definition())
    entry = load_lexicon(root).entries["TESTZEICHEN"]
    assert entry.definition is not None and len(entry.definition.movement) == 2
    keys = entry.keyframes
    assert keys[0].t == 0.0 and keys[-1].t == 1.0
    assert all(a.t < b.t for a, b in zip(keys, keys[1:]))
    assert any(k.through for k in keys), "points on the circle are pass-through keys"
    assert keys[-1].right is not None and keys[-1].right.handshape == "S"
    assert keys[0].right is not None and keys[0].right.twist == 10
    assert 0.5 < entry.duration < 3.0
    assert all(k.face == {"brows_up": 0.5} for k in keys)


def test_recording_loads(root: Path) -> None:
    write(root, "TESTZEICHEN.json", good_recording())
    entry = load_lexicon(root).entries["TESTZEICHEN"]
    assert entry.recording is not None and entry.recording.rotations.shape == (2, 2, 4)
    assert entry.keyframes == () and abs(entry.duration - 0.04) < 1e-9 or entry.duration == 0.1


D: list[str | int] = ["definition"]
M0: list[str | int] = ["definition", "movement", 0]
REC: list[str | int] = ["recording"]

MOTION_CASES: list[tuple[str, Callable[[], dict[str, Any]], Callable[[dict[str, Any]], None], str, str]] = [
    ("unknown movement", good_definition, _set([*M0, "type"], "spiral"), "definition.movement[0].type",
     "unknown movement type"),
    ("straight without direction", good_definition, lambda d: d["definition"]["movement"][0].pop("direction"),
     "definition.movement[0].direction", "missing"),
    ("circle with direction", good_definition, _set(["definition", "movement", 1, "direction"], "up"),
     "definition.movement[1].direction", "not used by a 'circle'"),
    ("bad size word", good_definition, _set([*M0, "size"], "huge"), "definition.movement[0].size", "unknown size"),
    ("repeat 0", good_definition, _set([*M0, "repeat"], 0), "definition.movement[0].repeat", "outside"),
    ("repeat 1.5", good_definition, _set([*M0, "repeat"], 1.5), "definition.movement[0].repeat", "whole number"),
    ("direction cancels", good_definition, _set([*M0, "direction"], "up+down"), "definition.movement[0].direction",
     "cancels"),
    ("two hands without left", good_definition, _set(["hands"], "two"), "definition.left", "missing"),
    ("left on one hand", good_definition, _set([*D, "left"], "mirror"), "definition.left", "one-handed"),
    ("bad left mode", good_definition, lambda d: (d.update(hands="two"), d["definition"].update(left="copy")),
     "definition.left", "unknown left-hand mode"),
    ("end unknown handshape", good_definition, _set([*D, "end", "handshape"], "Q9"), "definition.end.handshape",
     "unknown handshape"),
    ("twist out of range", good_definition, _set([*D, "hand", "twist"], 200), "definition.hand.twist", "outside"),
    ("recording unknown joint", good_recording, _set([*REC, "joints", 1], "tail"), "recording.joints[1]",
     "not a joint"),
    ("recording short frame", good_recording, _set([*REC, "frames", 1], [1, 0, 0, 0]), "recording.frames[1]",
     "8 numbers"),
    ("recording not unit", good_recording, _set([*REC, "frames", 0, 0], 2), "recording.frames[0]",
     "quaternion length"),
    ("recording one frame", good_recording, lambda d: d["recording"]["frames"].pop(), "recording.frames", "2.."),
]


@pytest.mark.parametrize(("make", "change", "field", "problem"), [c[1:] for c in MOTION_CASES],
                         ids=[c[0] for c in MOTION_CASES])
def test_invalid_motion_names_file_and_field(root: Path, make: Callable[[], dict[str, Any]],
                                             change: Callable[[dict[str, Any]], None], field: str,
                                             problem: str) -> None:
    data = make()
    change(data)
    write(root, "TESTZEICHEN.json", data)
    with pytest.raises(LexiconError) as info:
        load_lexicon(root)
    message = str(info.value)
    assert message.startswith(f"glosses/signs/TESTZEICHEN.json: {field}: "), message
    assert problem in message, message
