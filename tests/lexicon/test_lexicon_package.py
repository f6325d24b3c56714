"""Export and import of the city's lexicon as one package (signavatar/lexicon/package.py): a round
trip between two cities, and packages that must change nothing (bad signs, path tricks, zip bombs)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from signavatar.errors import InvalidInputError
from signavatar.lexicon.city import load_city_lexicon, overlay_dir, revision_store, save_revision
from signavatar.lexicon.package import MAX_MEMBER_BYTES, export_package, import_package
from signavatar.settings import Settings

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"
RECORDED = "FS-J"  # a recorded sign of the shipped lexicon


def shipped(gloss: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GLOSSES / "signs" / f"{gloss}.json").read_text(encoding="utf-8"))
    return data


def city(tmp_path: Path, name: str) -> Settings:
    return Settings(data_dir=tmp_path / name, lexicon_dir=GLOSSES)


@pytest.fixture
def package(tmp_path: Path) -> bytes:
    """Hamburg's lexicon: TERMIN slower (two revisions), a new sign RATHAUS, a recorded FS-J with consent."""
    hamburg = city(tmp_path, "hamburg")
    save_revision(hamburg, "TERMIN", {**shipped("TERMIN"), "duration": 0.8}, "Anna", "langsamer")
    save_revision(hamburg, "TERMIN", {**shipped("TERMIN"), "duration": 0.9}, "Ben", "noch langsamer")
    save_revision(hamburg, "RATHAUS", {**shipped("TERMIN"), "gloss": "RATHAUS", "lemmas": ["Rathaus"]}, "Anna", "neu",
                  {"licence": "CC-BY-4.0"})
    assert shipped(RECORDED)["source"] == "recorded"
    save_revision(hamburg, RECORDED, {**shipped(RECORDED), "duration": 1.2}, "Anna", "neu aufgenommen",
                  {"signer": "Eva Muster", "licence": "CC-BY-SA-4.0", "consent": True})
    return export_package(hamburg, "Hamburg")


def rebuild(package: bytes, change: Callable[[dict[str, Any], dict[str, bytes]], None]) -> bytes:
    """The package with its manifest and files changed by `change(manifest, files)`."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    change(manifest, files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_a_package_carries_signs_revisions_licence_and_consent(package: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format"] == "signavatar-lexicon-package" and manifest["format_version"] == 1
    assert manifest["name"] == "Hamburg" and len(manifest["lexicon_version"]) == 12
    signs = {s["gloss"]: s for s in manifest["signs"]}
    assert set(signs) == {"TERMIN", "RATHAUS", RECORDED}
    assert names == {"manifest.json", *(s["file"] for s in signs.values())}
    assert [(r["revision"], r["editor"], r["reason"]) for r in signs["TERMIN"]["revisions"]] == [
        (1, "Anna", "langsamer"), (2, "Ben", "noch langsamer")]
    assert signs["TERMIN"]["licence"] is None and signs["RATHAUS"]["licence"] == "CC-BY-4.0"
    assert signs[RECORDED]["consent"] == {"signer": "Eva Muster", "licence": "CC-BY-SA-4.0", "consent": True}


def test_another_city_imports_the_package_as_revisions(tmp_path: Path, package: bytes) -> None:
    bremen = city(tmp_path, "bremen")
    save_revision(bremen, "TERMIN", {**shipped("TERMIN"), "duration": 0.5}, "Cem", "Bremer Form")
    result = import_package(bremen, package, "Dora")
    assert sorted(result.imported) == sorted(["TERMIN", "RATHAUS", RECORDED]) and result.skipped == []
    assert result.package.startswith("Hamburg (lexicon ")
    lexicon = load_city_lexicon(bremen)
    assert result.lexicon_version == lexicon.version
    assert lexicon.entries["TERMIN"].duration == pytest.approx(0.9) and "RATHAUS" in lexicon.entries
    termin = revision_store(bremen).revisions("TERMIN")
    assert [(r.revision, r.editor) for r in termin] == [(1, "Cem"), (2, "Dora")]
    assert termin[1].reason == f"imported from {result.package}"
    assert termin[1].origin is not None and [r["editor"] for r in termin[1].origin["revisions"]] == ["Anna", "Ben"]
    assert revision_store(bremen).revisions(RECORDED)[0].consent == {
        "signer": "Eva Muster", "licence": "CC-BY-SA-4.0", "consent": True}
    again = import_package(bremen, package, "Dora")  # nothing new: every sign skipped, no revision
    assert again.imported == [] and len(again.skipped) == 3 and len(revision_store(bremen).revisions("TERMIN")) == 2


def with_sign_file(gloss: str, data: bytes) -> Callable[[dict[str, Any], dict[str, bytes]], None]:
    def change(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
        files[f"signs/{gloss}.json"] = data
        for s in manifest["signs"]:
            if s["gloss"] == gloss:
                s["sha256"] = hashlib.sha256(data).hexdigest()
    return change


def bad_sign(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    with_sign_file("RATHAUS", json.dumps({**shipped("TERMIN"), "gloss": "RATHAUS", "hands": "three"}).encode())(
        manifest, files)


def path_trick(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    files["../../evil.json"] = files.pop("signs/RATHAUS.json")
    manifest["signs"][[s["gloss"] for s in manifest["signs"]].index("RATHAUS")]["file"] = "../../evil.json"


def gloss_trick(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    manifest["signs"][0]["gloss"] = "../X"


def unlisted(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    files["signs/EXTRA.json"] = b"{}"


def no_consent(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    for s in manifest["signs"]:
        if s["gloss"] == RECORDED:
            s["consent"] = s["licence"] = None


def twice(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    manifest["signs"].append(dict(manifest["signs"][0]))


def newer(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    manifest["format_version"] = 2


def tampered(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    files["signs/TERMIN.json"] = files["signs/TERMIN.json"].replace(b'"duration": 0.9', b'"duration": 0.4')


def no_manifest_signs(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    manifest["signs"] = "all of them"


@pytest.mark.parametrize(("change", "message"), [
    (bad_sign, "RATHAUS.json: hands: unknown hand count"),
    (path_trick, "file must be 'signs/RATHAUS.json'"),
    (gloss_trick, "is not a gloss"),
    (unlisted, "'signs/EXTRA.json' is not named in manifest.json"),
    (no_consent, "consent is missing"),
    (twice, "listed twice"),
    (newer, "format_version 2; this signavatar reads 1 (the package is from a newer signavatar"),
    (tampered, "does not match its sha256"),
    (no_manifest_signs, "signs must be a list"),
])
def test_an_invalid_package_changes_nothing(tmp_path: Path, package: bytes,
                                            change: Callable[[dict[str, Any], dict[str, bytes]], None],
                                            message: str) -> None:
    bremen = city(tmp_path, "bremen")
    save_revision(bremen, "WARTEN", shipped("WARTEN"), "Cem", "übernommen")
    before = {p: p.read_bytes() for p in overlay_dir(bremen).rglob("*") if p.is_file()}
    with pytest.raises(InvalidInputError, match="package") as caught:
        import_package(bremen, rebuild(package, change), "Dora")
    assert message in str(caught.value)
    assert {p: p.read_bytes() for p in overlay_dir(bremen).rglob("*") if p.is_file()} == before
    assert not (tmp_path / "evil.json").exists() and not (tmp_path / "bremen" / "evil.json").exists()
    assert set(revision_store(bremen).all()) == {"WARTEN"}


def test_not_a_zip_and_no_manifest_are_refused(tmp_path: Path) -> None:
    bremen = city(tmp_path, "bremen")
    with pytest.raises(InvalidInputError, match="not a .zip"):
        import_package(bremen, b"PK\x03\x04 not really", "Dora")
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(InvalidInputError, match="no manifest.json"):
        import_package(bremen, empty.getvalue(), "Dora")
    assert not overlay_dir(bremen).exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, package: bytes) -> None:
    bremen = city(tmp_path, "bremen")
    zeros = b" " * (MAX_MEMBER_BYTES + 1)  # deflates to a few kB
    bomb = rebuild(package, with_sign_file("TERMIN", zeros))
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInputError, match="unpacks to"):
        import_package(bremen, bomb, "Dora")
    assert not overlay_dir(bremen).exists()
