"""`signavatar lexicon list|show|validate|sheet|bank` through the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from signavatar.lexicon import Lexicon, load_lexicon

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"


def signavatar(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("signavatar", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "signavatar.cli"]
    env = {**os.environ, "SIGNAVATAR_DATA_DIR": str(cwd / "var"), "SIGNAVATAR_LEXICON_DIR": str(GLOSSES)}
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(GLOSSES)


def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "glosses"
    shutil.copytree(GLOSSES, root)
    return root


def edit_sign(root: Path, gloss: str, **changes: object) -> None:
    path = root / "signs" / f"{gloss}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_list_prints_one_line_per_sign_and_the_count_on_stderr(tmp_path: Path, lexicon: Lexicon) -> None:
    done = signavatar("lexicon", "list", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(lexicon)
    assert done.stderr.strip() == f"{len(lexicon)} of {len(lexicon)} signs"
    rows = {line.split("\t")[0]: line.split("\t") for line in lines}
    termin = lexicon.entries["TERMIN"]
    kind, hands, source, reviewed, lemmas = rows["TERMIN"][1:]
    assert (kind, hands, source) == ("lexical", termin.hands, termin.source)
    assert reviewed == ("reviewed" if termin.reviewed else "unreviewed")
    assert lemmas.split(", ") == list(termin.lemmas)
    numbers = [line.split("\t")[0] for line in lines if line.startswith("NUM-")]
    assert numbers == sorted(numbers, key=lambda g: int(g[4:]))  # NUM-2 before NUM-10
    order = list(rows)
    if {"ÖFFNEN", "OHNE", "NUMMER"} <= set(order):  # German dictionary order: Ö among the O's
        assert order.index("NUMMER") < order.index("ÖFFNEN") < order.index("OHNE")


@pytest.mark.parametrize("kind", ["lexical", "letter", "number"])
def test_list_filters_by_kind_as_json(tmp_path: Path, lexicon: Lexicon, kind: str) -> None:
    done = signavatar("lexicon", "list", "--kind", kind, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    expected = {
        g for g, e in lexicon.entries.items()
        if {"lexical": e.is_lexical, "letter": e.is_letter, "number": e.is_number}[kind]
    }
    assert {r["gloss"] for r in rows} == expected
    assert all(r["kind"] == kind for r in rows)
    assert done.stderr.strip() == f"{len(expected)} of {len(lexicon)} signs"


def test_list_filters_unreviewed_and_source(tmp_path: Path, lexicon: Lexicon) -> None:
    done = signavatar("lexicon", "list", "--unreviewed", "--source", "hand-authored", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = {g for g, e in lexicon.entries.items() if not e.reviewed and e.source == "hand-authored"}
    assert {r["gloss"] for r in json.loads(done.stdout)} == expected


def test_show_prints_the_stored_file_and_a_summary(tmp_path: Path, lexicon: Lexicon) -> None:
    done = signavatar("lexicon", "show", "termin", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entry = lexicon.entries["TERMIN"]
    stored = entry.path.read_text(encoding="utf-8").rstrip("\n")
    assert done.stdout.startswith(stored + "\n")
    summary = done.stdout[len(stored):]
    assert f"duration: {entry.duration:g} s" in summary
    assert f"keyframes: {len(entry.keyframes)}" in summary
    assert f"hands: {entry.hands}" in summary
    assert f"lemmas: {', '.join(entry.lemmas)}" in summary


def test_show_unknown_gloss_fails_with_close_matches(tmp_path: Path) -> None:
    done = signavatar("lexicon", "show", "TERMN", cwd=tmp_path)
    assert done.returncode != 0
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "TERMN" in line and "TERMIN" in line and "lexicon list" in line


def test_validate_the_repository_lexicon(tmp_path: Path, lexicon: Lexicon) -> None:
    # --no-render: the handshape read-back has its own tests (tests/lexicon/test_sign_handshapes.py)
    done = signavatar("lexicon", "validate", "--no-render", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entries = lexicon.entries.values()
    assert done.stdout.strip() == (
        f"OK: {len(lexicon)} signs ({sum(e.is_lexical for e in entries)} lexical, "
        f"{sum(e.is_letter for e in entries)} letters, {sum(e.is_number for e in entries)} numbers), "
        f"{len(lexicon.handshapes)} handshapes, version {lexicon.version}"
    )
    assert "bank" not in done.stderr  # the repository's handshape bank fits its inventory


def test_validate_names_the_broken_file_and_field(tmp_path: Path) -> None:
    root = broken_copy(tmp_path)
    edit_sign(root, "TERMIN", hands="three")
    done = signavatar("lexicon", "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1
    assert "OK" not in done.stdout
    lines = done.stderr.splitlines()
    assert any(line.startswith("glosses/signs/TERMIN.json: hands: ") for line in lines), done.stderr


def test_validate_warns_about_shared_lemmas_and_unused_handshapes(tmp_path: Path, lexicon: Lexicon) -> None:
    root = broken_copy(tmp_path)
    edit_sign(root, "WARTEN", lemmas=[*lexicon.entries["WARTEN"].lemmas, "Termin"])
    handshapes = json.loads((root / "handshapes.json").read_text(encoding="utf-8"))
    handshapes["handshapes"]["spare-B"] = handshapes["handshapes"]["B"]
    (root / "handshapes.json").write_text(json.dumps(handshapes), encoding="utf-8")
    done = signavatar("lexicon", "validate", "--no-render", "--root", str(root), cwd=tmp_path)
    # warnings alone do not fail validate (signs too alike, reported on lines of their own, do)
    similar = [line for line in done.stderr.splitlines() if line.startswith("too similar: ")]
    assert done.returncode == (1 if similar else 0), done.stderr
    assert done.stdout.startswith("OK: ") or similar
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert any("'termin'" in w and "TERMIN, WARTEN" in w for w in warnings), done.stderr
    assert any("never used" in w and "spare-B" in w for w in warnings), done.stderr
    # a new handshape makes the bank out of date: capture would choose shapes by angles alone
    assert any("handshape_bank.npz" in w and "signavatar lexicon bank" in w for w in warnings), done.stderr


def test_validate_flags_a_copied_sign_unless_it_is_marked_the_same_sign(tmp_path: Path) -> None:
    root = broken_copy(tmp_path)
    data = json.loads((root / "signs" / "TERMIN.json").read_text(encoding="utf-8"))
    data.update(gloss="VERABREDUNG", lemmas=["Verabredung"])
    (root / "signs" / "VERABREDUNG.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = signavatar("lexicon", "validate", "--no-render", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1
    assert "OK" not in done.stdout
    flagged = [line for line in done.stderr.splitlines() if line.startswith("too similar: TERMIN and VERABREDUNG ")]
    assert len(flagged) == 1 and "same_sign_as" in flagged[0], done.stderr
    edit_sign(root, "VERABREDUNG", same_sign_as=["TERMIN"])
    done = signavatar("lexicon", "validate", "--no-render", "--root", str(root), cwd=tmp_path)
    assert not [line for line in done.stderr.splitlines() if line.startswith("too similar: TERMIN and VERABREDUNG ")]


def test_sheet_renders_labelled_tiles(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "sheet.png"
    done = signavatar("lexicon", "sheet", "-o", str(out), "--glosses", "TERMIN,hallo,DANKE",
                      "--size", "96", "--columns", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    image = np.asarray(Image.open(out).convert("RGB")).astype(np.float32)
    assert image.shape == (2 * 96, 2 * 96, 3)
    tiles = [image[r * 96:(r + 1) * 96, c * 96:(c + 1) * 96] for r in range(2) for c in range(2)]
    background = tiles[0][2, 2]
    for tile in tiles[:3]:
        picture, band = tile[:80], tile[84:]
        avatar = np.abs(picture - background).sum(axis=-1) > 60  # the avatar differs from the backdrop
        assert 0.1 < avatar.mean() < 0.8
        assert (band.mean(axis=-1) < 60).mean() > 0.5  # the dark label band ...
        assert (band.mean(axis=-1) > 200).any()  # ... with white letters
    assert np.allclose(tiles[3], 255.0)  # the empty cell after the last sign


def test_sheet_rejects_unknown_glosses(tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    done = signavatar("lexicon", "sheet", "-o", str(out), "--glosses", "TERMIN,NOSUCHSIGN", cwd=tmp_path)
    assert done.returncode != 0
    assert "NOSUCHSIGN" in done.stderr
    assert not out.exists()


@pytest.mark.render
def test_bank_builds_a_partial_bank_that_capture_accepts(tmp_path: Path) -> None:
    from signavatar.avatar.rig import load_avatar
    from signavatar.capture.hand_bank import load_bank
    from signavatar.gloss_to_pose.body_space import location_point

    out = tmp_path / "bank.npz"
    done = signavatar("lexicon", "bank", "--shapes", "B,S", "--palm-steps", "1", "--locations", "neutral,chest",
                      "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"{out}: ") and "of 2 handshapes" in done.stdout
    bank = load_bank(out, load_avatar().skeleton, load_lexicon(GLOSSES))
    assert {bank.names[i] for i in bank.shape} == {"B", "S"}
    # 26 finger directions x 1 palm x 2 shapes x 2 places, minus hands not found
    assert 40 <= len(bank.points) <= 104
    places = {tuple(np.round(p, 2)) for p in bank.place.tolist()}
    assert places == {tuple(np.round(location_point(n, "R"), 2)) for n in ("neutral", "chest")}
    assert not list(tmp_path.glob("*.tmp.npz"))


def test_bank_refuses_unknown_shapes_and_folders(tmp_path: Path) -> None:
    done = signavatar("lexicon", "bank", "--shapes", "B,Q9", "-o", str(tmp_path / "b.npz"), cwd=tmp_path)
    assert done.returncode != 0 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "Q9" in line and "known:" in line
    done = signavatar("lexicon", "bank", "--locations", "neutral,knee", "-o", str(tmp_path / "b.npz"), cwd=tmp_path)
    assert done.returncode != 0 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "knee" in line and "chest" in line
    done = signavatar("lexicon", "bank", "-o", str(tmp_path / "no" / "b.npz"), cwd=tmp_path)
    assert done.returncode != 0 and len(done.stderr.splitlines()) == 1 and "no such folder" in done.stderr


def test_validate_reports_exempted_handshapes_and_refuses_a_needless_exemption(tmp_path: Path) -> None:
    # the committed read-back cache fits the copy, so nothing is rendered again
    root = broken_copy(tmp_path)
    exempt = root / "handshape_readback_exempt.json"
    exemptions = json.loads(exempt.read_text(encoding="utf-8"))
    done = signavatar("lexicon", "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reported = [line for line in done.stderr.splitlines() if "not checkable from the front: " in line]
    assert sorted(line.split("front: ")[1].split(" (")[0] for line in reported) == sorted(exemptions)
    assert f"{len(exemptions)} not checkable from the front" in done.stderr
    # DANKE reads back as its B: exempting it is an error, and so is a gloss the lexicon lacks
    exempt.write_text(json.dumps({**exemptions, "DANKE": "grund / reason", "KEINZEICHEN": "grund / reason"}),
                      encoding="utf-8")
    done = signavatar("lexicon", "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any(line.startswith("handshape exemption: DANKE: ") and "remove it" in line for line in lines), done.stderr
    assert any(line.startswith("handshape exemption: KEINZEICHEN: no such lexical sign") for line in lines)
    # without the exemptions the exempted signs fail as any other
    exempt.unlink()
    done = signavatar("lexicon", "validate", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 1
    failed = {line.split(": ")[1] for line in done.stderr.splitlines() if line.startswith("handshape: ")}
    assert failed == set(exemptions), done.stderr
