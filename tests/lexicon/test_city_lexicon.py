"""The city's lexicon: the overlay under the data dir over the shipped glosses/, its revisions
(save_revision), and sign reviews attached to the form (signavatar/review/signs.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from file_tree import tree_digest
from signavatar.errors import InvalidInputError, LexiconError
from signavatar.lexicon.city import load_city_lexicon, overlay_dir, revert_to_shipped, revision_store, save_revision
from signavatar.lexicon.load import lexicon_version, load_lexicon
from signavatar.review import SIGN, ReviewLog, sign_review
from signavatar.settings import Settings

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"



def shipped(gloss: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GLOSSES / "signs" / f"{gloss}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", lexicon_dir=GLOSSES)


def test_an_empty_overlay_is_the_shipped_lexicon(settings: Settings) -> None:
    plain = load_lexicon(GLOSSES)
    city = load_city_lexicon(settings)
    assert city.version == plain.version == lexicon_version(GLOSSES, overlay_dir(settings))
    assert set(city.entries) == set(plain.entries)
    assert not any(e.in_overlay for e in city.entries.values())
    assert city.entries["TERMIN"].form == plain.entries["TERMIN"].form != ""


def test_a_revision_replaces_the_shipped_sign_and_changes_the_version(settings: Settings) -> None:
    before = tree_digest(GLOSSES)
    base = load_city_lexicon(settings)
    sign = {**shipped("TERMIN"), "duration": 0.9, "reviewed": True}
    out = save_revision(settings, "TERMIN", sign, " Anna  Beispiel ", "langsamer, wie in Hamburg")
    city = load_city_lexicon(settings)
    assert out == {"gloss": "TERMIN", "revision": 1, "lexicon_version": city.version}
    assert city.version != base.version
    entry = city.entries["TERMIN"]
    assert entry.in_overlay and entry.duration == pytest.approx(0.9) and entry.form != base.entries["TERMIN"].form
    assert entry.path == overlay_dir(settings) / "signs" / "TERMIN.json"
    written = json.loads(entry.path.read_text(encoding="utf-8"))
    assert written["reviewed"] is False  # review state lives in the review log
    (rev,) = revision_store(settings).revisions("TERMIN")
    assert (rev.revision, rev.editor, rev.reason, rev.form, rev.consent) == (
        1, "Anna Beispiel", "langsamer, wie in Hamburg", entry.form, None)
    assert rev.time.endswith("+00:00")
    again = save_revision(settings, "TERMIN", {**sign, "duration": 0.8}, "Ben", "doch etwas schneller")
    assert again["revision"] == 2 and [r.revision for r in revision_store(settings).revisions("TERMIN")] == [1, 2]
    # words about a sign are not its form: a description-only revision keeps the version
    words = save_revision(settings, "TERMIN", {**sign, "duration": 0.8, "description": "other words"}, "Ben", "Text")
    assert words["revision"] == 3 and words["lexicon_version"] == again["lexicon_version"]
    assert tree_digest(GLOSSES) == before


def test_reverting_uses_the_shipped_sign_again_as_a_revision(settings: Settings) -> None:
    before = tree_digest(GLOSSES)
    base = load_city_lexicon(settings)
    save_revision(settings, "TERMIN", {**shipped("TERMIN"), "duration": 0.9}, "Anna", "langsamer")
    assert load_city_lexicon(settings).version != base.version
    out = revert_to_shipped(settings, "TERMIN", "Ben", "die Gebärde des Programms passt doch")
    city = load_city_lexicon(settings)
    assert out == {"gloss": "TERMIN", "revision": 2, "lexicon_version": base.version} and city.version == base.version
    assert not city.entries["TERMIN"].in_overlay and not (overlay_dir(settings) / "signs" / "TERMIN.json").exists()
    last = revision_store(settings).revisions("TERMIN")[-1]
    assert (last.revision, last.editor, last.form, last.origin) == (
        2, "Ben", base.entries["TERMIN"].form, {"reverted_to": "shipped"})
    with pytest.raises(InvalidInputError, match="no version of this sign"):  # nothing left to revert
        revert_to_shipped(settings, "TERMIN", "Ben", "noch einmal")
    save_revision(settings, "EIGENES-ZEICHEN", {**shipped("TERMIN"), "gloss": "EIGENES-ZEICHEN", "lemmas": ["eigen-x"]},
                  "Anna", "neu")
    with pytest.raises(InvalidInputError, match="city's own"):
        revert_to_shipped(settings, "EIGENES-ZEICHEN", "Ben", "weg damit")
    with pytest.raises(InvalidInputError, match="reason"):
        revert_to_shipped(settings, "TERMIN", "Ben", " ")
    assert tree_digest(GLOSSES) == before


def test_a_new_sign_is_added_and_the_same_form_as_shipped_keeps_the_version(settings: Settings) -> None:
    base = load_city_lexicon(settings).version
    save_revision(settings, "TERMIN", shipped("TERMIN"), "Anna", "unverändert übernommen")
    assert load_city_lexicon(settings).version == base  # the effective files are the same forms
    new = {**shipped("TERMIN"), "gloss": "RATHAUS", "lemmas": ["Rathaus"]}
    out = save_revision(settings, "RATHAUS", new, "Anna", "neue Gebärde der Stadt", {"licence": "CC-BY-4.0"})
    city = load_city_lexicon(settings)
    assert out["lexicon_version"] == city.version != base
    assert city.lemma_map()["rathaus"] == "RATHAUS" and city.entries["RATHAUS"].in_overlay
    assert revision_store(settings).revisions("RATHAUS")[0].consent == {"licence": "CC-BY-4.0"}


@pytest.mark.parametrize(("gloss", "sign", "consent", "message"), [
    ("TERMIN", {"hands": "three"}, None, "TERMIN.json: hands: unknown hand count 'three'"),
    ("TERMIN", {"gloss": "WARTEN"}, None, "differs from the file name"),
    ("TERMIN", {"keyframes": [{"t": 0.0, **{h: {"handshape": "NOPE", "location": "chin", "palm": "down",
                                                "fingers": "out"} for h in ("right", "left")}}]},
     None, "unknown handshape 'NOPE'"),
    ("../ETC", {}, None, "is not a gloss"),
    ("termin", {}, None, "is not a gloss"),
    ("TERMIN", {"source": "recorded"}, None, "consent is missing"),
    ("TERMIN", {"source": "recorded"}, {"signer": "Eva", "licence": "CC-BY-4.0", "consent": False}, "must be true"),
    ("TERMIN", {}, {"licence": ""}, "consent.licence"),
    ("TERMIN", {}, {"licence": "x", "email": "e@x"}, "expected an object"),
])
def test_a_bad_sign_is_refused_and_nothing_is_written(settings: Settings, gloss: str, sign: dict[str, Any],
                                                       consent: dict[str, Any] | None, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        save_revision(settings, gloss, {**shipped("TERMIN"), **sign}, "Anna", "Versuch", consent)
    assert not (overlay_dir(settings) / "signs").exists() or not any((overlay_dir(settings) / "signs").iterdir())
    assert revision_store(settings).all() == {}


@pytest.mark.parametrize(("editor", "reason"), [("", "warum"), ("Anna", "  "), ("A" * 201, "warum")])
def test_a_revision_needs_who_and_why(settings: Settings, editor: str, reason: str) -> None:
    with pytest.raises(InvalidInputError):
        save_revision(settings, "TERMIN", shipped("TERMIN"), editor, reason)
    assert revision_store(settings).all() == {}


def test_an_overlay_handshape_inventory_is_refused(settings: Settings) -> None:
    overlay_dir(settings).mkdir(parents=True)
    (overlay_dir(settings) / "handshapes.json").write_text((GLOSSES / "handshapes.json").read_text())
    with pytest.raises(LexiconError, match="not supported: handshapes come from the shipped"):
        load_city_lexicon(settings)


def test_an_invalid_overlay_file_names_its_path(settings: Settings) -> None:
    signs = overlay_dir(settings) / "signs"
    signs.mkdir(parents=True)
    (signs / "TERMIN.json").write_text(json.dumps({**shipped("TERMIN"), "hands": "three"}), encoding="utf-8")
    with pytest.raises(LexiconError, match=f"{signs / 'TERMIN.json'}: hands"):
        load_city_lexicon(settings)


def test_reviews_hold_for_the_form_they_were_made_on(settings: Settings, tmp_path: Path) -> None:
    log = ReviewLog(tmp_path / "reviews.sqlite")
    entry = load_city_lexicon(settings).entries["BRAUCHEN"]
    assert not entry.reviewed and sign_review(entry, []).state == "unreviewed"
    log.record(SIGN, "BRAUCHEN", "approved", "Dana", "stimmt", form=entry.form)
    state = sign_review(entry, log.entries(SIGN, "BRAUCHEN"))
    assert state.reviewed and state.decision is not None
    assert state.to_dict(editor=False) == {"state": "approved", "time": state.decision.time}
    assert state.to_dict(editor=True)["editor"] == "Dana"
    log.record(SIGN, "BRAUCHEN", "proposed", "Eli", "Handform eher gebogen", form=entry.form)
    assert sign_review(entry, log.entries(SIGN, "BRAUCHEN")).state == "proposed"
    save_revision(settings, "BRAUCHEN", {**shipped("BRAUCHEN"), "duration": 0.77}, "Eli", "Vorschlag umgesetzt")
    revised = load_city_lexicon(settings).entries["BRAUCHEN"]
    assert sign_review(revised, log.entries(SIGN, "BRAUCHEN")).state == "unreviewed"  # a new form
    with pytest.raises(InvalidInputError, match="proposal is empty"):
        log.record(SIGN, "BRAUCHEN", "proposed", "Eli", " ", form=revised.form)
    with pytest.raises(InvalidInputError, match="reason is empty"):
        log.record(SIGN, "BRAUCHEN", "rejected", "Eli", "", form=revised.form)
    with pytest.raises(InvalidInputError, match="form"):
        log.record(SIGN, "BRAUCHEN", "approved", "Eli")
    with pytest.raises(InvalidInputError, match="not 'reviewed'"):
        log.record(SIGN, "BRAUCHEN", "reviewed", "Eli", form=revised.form)


def test_a_shipped_approval_counts_until_an_editor_decides_otherwise(tmp_path: Path) -> None:
    root = tmp_path / "glosses"  # a shipped lexicon with one sign the project approved
    shutil.copytree(GLOSSES, root, ignore=shutil.ignore_patterns("*.npz", "*.md"))
    (root / "signs" / "WARTEN.json").write_text(json.dumps({**shipped("WARTEN"), "reviewed": True}), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", lexicon_dir=root)
    entry = load_city_lexicon(settings).entries["WARTEN"]
    assert entry.reviewed and not entry.in_overlay
    assert sign_review(entry, []).to_dict(editor=True) == {"state": "approved", "shipped": True}
    log = ReviewLog(tmp_path / "reviews.sqlite")
    log.record(SIGN, entry.gloss, "rejected", "Dana", "Ort falsch", form=entry.form)
    assert sign_review(entry, log.entries(SIGN, entry.gloss)).state == "rejected"
    # an overlay file's own flag counts for nothing
    sign = {**json.loads(entry.path.read_text(encoding="utf-8"))}
    signs = overlay_dir(settings) / "signs"
    signs.mkdir(parents=True)
    (signs / entry.path.name).write_text(json.dumps(sign), encoding="utf-8")
    copied = load_city_lexicon(settings).entries[entry.gloss]
    assert copied.in_overlay and copied.reviewed and sign_review(copied, []).state == "unreviewed"


def test_a_schema_1_review_log_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE reviews (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, subject TEXT NOT NULL,
            action TEXT NOT NULL, editor TEXT NOT NULL, time TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
        INSERT INTO reviews (kind, subject, action, editor, time, note)
            VALUES ('sign', 'TERMIN', 'reviewed', 'Dana', '2026-01-01T00:00:00+00:00', 'gut');
        PRAGMA user_version=1;""")
    con.close()
    log = ReviewLog(path)
    (old,) = log.entries(SIGN, "TERMIN")
    assert (old.action, old.editor, old.note, old.form) == ("reviewed", "Dana", "gut", "")
    log.record(SIGN, "TERMIN", "approved", "Eli", form="abc")
    assert [e.action for e in log.entries(SIGN, "TERMIN")] == ["reviewed", "approved"]
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 2
