"""`signavatar lexicon export|import|revisions` and the city's overlay in `list`/`show`, through the
installed console script (SIGNAVATAR_DATA_DIR per test; the repository's glosses/ are never written)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from signavatar.lexicon.city import overlay_dir, revision_store, save_revision
from signavatar.review import REVIEW_FILENAME, SIGN, ReviewLog
from signavatar.settings import Settings

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"


def signavatar(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("signavatar", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "signavatar.cli"]
    env = {**os.environ, "SIGNAVATAR_DATA_DIR": str(data), "SIGNAVATAR_LEXICON_DIR": str(GLOSSES)}
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def shipped_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in (GLOSSES / "signs").glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def sign(name: str, **changes: object) -> dict[str, object]:
    return {**json.loads((GLOSSES / "signs" / f"{name}.json").read_text(encoding="utf-8")), **changes}


def test_export_import_and_revisions_between_two_cities(tmp_path: Path) -> None:
    before = shipped_digest()
    hamburg, bremen = tmp_path / "hamburg", tmp_path / "bremen"
    settings = Settings(data_dir=hamburg, lexicon_dir=GLOSSES)
    save_revision(settings, "TERMIN", sign("TERMIN", duration=0.8), "Anna", "langsamer")
    save_revision(settings, "RATHAUS", sign("TERMIN", gloss="RATHAUS", lemmas=["Rathaus"]), "Anna", "neu",
                  {"licence": "CC-BY-4.0"})
    package = tmp_path / "hamburg.zip"
    done = signavatar("lexicon", "export", "-o", str(package), "--name", "Hamburg", data=hamburg, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{package}: 2 signs of the city's lexicon")
    with zipfile.ZipFile(package) as zf:
        assert json.loads(zf.read("manifest.json"))["name"] == "Hamburg"

    done = signavatar("lexicon", "import", str(package), "--editor", "Dora", data=bremen, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "imported 2 signs from Hamburg (lexicon " in done.stdout and "RATHAUS, TERMIN" in done.stdout
    again = signavatar("lexicon", "import", str(package), "--editor", "Dora", data=bremen, cwd=tmp_path)
    assert again.returncode == 0 and "imported 0 signs" in again.stdout
    assert "skipped TERMIN: the city's sign is already the same" in again.stderr

    done = signavatar("lexicon", "revisions", "termin", data=bremen, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    number, _, editor, reason = line.split("\t")
    assert (number, editor) == ("1", "Dora") and reason.startswith("imported from Hamburg (lexicon ")
    assert "TERMIN: 1 revision(s); the current sign is from the city's lexicon" in done.stderr
    rows = json.loads(signavatar("lexicon", "revisions", "RATHAUS", "--json", data=bremen, cwd=tmp_path).stdout)
    assert rows[0]["consent"] == {"licence": "CC-BY-4.0"} and rows[0]["origin"]["revisions"][0]["editor"] == "Anna"
    shipped = signavatar("lexicon", "revisions", "WARTEN", data=bremen, cwd=tmp_path)
    assert shipped.returncode == 0 and shipped.stdout == "" and "shipped lexicon (revision 0)" in shipped.stderr

    listed = signavatar("lexicon", "list", "--json", data=bremen, cwd=tmp_path)
    assert "RATHAUS" in {r["gloss"] for r in json.loads(listed.stdout)}
    show = signavatar("lexicon", "show", "TERMIN", data=bremen, cwd=tmp_path)
    assert '"duration": 0.8' in show.stdout and f"from: the city lexicon ({overlay_dir(Settings(data_dir=bremen))}" \
        in show.stdout
    reverted = signavatar("lexicon", "revert", "termin", "--editor", "Dora", "--reason", "doch wie geliefert",
                          data=bremen, cwd=tmp_path)
    assert reverted.returncode == 0, reverted.stderr
    assert reverted.stdout.startswith("TERMIN: the shipped sign is used again (revision 2, lexicon version ")
    show = signavatar("lexicon", "show", "TERMIN", data=bremen, cwd=tmp_path)
    assert '"duration": 0.8' not in show.stdout
    save_revision(Settings(data_dir=bremen, lexicon_dir=GLOSSES), "STADTFEST",
                  sign("TERMIN", gloss="STADTFEST", lemmas=["Stadtfest"]), "Dora", "neu")
    refused = signavatar("lexicon", "revert", "STADTFEST", "--editor", "Dora", "--reason", "x", data=bremen,
                         cwd=tmp_path)
    assert refused.returncode != 0 and "city's own" in refused.stderr and "Traceback" not in refused.stderr
    assert shipped_digest() == before


def test_an_invalid_package_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "signavatar-lexicon-package", "format_version": 1,
                                                 "name": "X", "exported": "now", "lexicon_version": "abc",
                                                 "signs": [{"gloss": "TERMIN", "file": "signs/TERMIN.json"}]}))
        zf.writestr("signs/TERMIN.json", json.dumps(sign("TERMIN", hands="three")))
    done = signavatar("lexicon", "import", str(bad), "--editor", "Dora", data=data, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "package not imported, nothing changed" in done.stderr and "TERMIN" in done.stderr
    assert not overlay_dir(Settings(data_dir=data)).exists()
    missing = signavatar("lexicon", "import", str(tmp_path / "nope.zip"), "--editor", "Dora", data=data, cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    no_editor = signavatar("lexicon", "import", str(bad), data=data, cwd=tmp_path)
    assert no_editor.returncode == 2 and "--editor" in no_editor.stderr
    unknown = signavatar("lexicon", "revisions", "TERMN", data=data, cwd=tmp_path)
    assert unknown.returncode == 2 and "TERMIN" in unknown.stderr


def test_list_shows_the_review_state_of_the_current_form(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data, lexicon_dir=GLOSSES)
    from signavatar.lexicon.city import load_city_lexicon

    form = load_city_lexicon(settings).entries["WARTEN"].form
    ReviewLog(data / REVIEW_FILENAME).record(SIGN, "WARTEN", "approved", "Dana", form=form)

    def state() -> str:
        rows = json.loads(signavatar("lexicon", "list", "--json", data=data, cwd=tmp_path).stdout)
        return "reviewed" if {r["gloss"]: r for r in rows}["WARTEN"]["reviewed"] else "unreviewed"

    assert state() == "reviewed"
    save_revision(settings, "WARTEN", sign("WARTEN", duration=0.9), "Anna", "länger")
    assert state() == "unreviewed" and len(revision_store(settings).revisions("WARTEN")) == 1


def test_validate_city_checks_the_citys_signs_with_the_shipped_ones(tmp_path: Path) -> None:
    """`lexicon validate --city`: a city sign made exactly like a shipped one is flagged as too similar;
    the shipped folder alone stays valid."""
    data = tmp_path / "data"
    done = signavatar("lexicon", "validate", "--city", data=data, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: ")
    save_revision(Settings(data_dir=data, lexicon_dir=GLOSSES), "STADTFEST",
                  sign("TERMIN", gloss="STADTFEST", lemmas=["Stadtfest"]), "Dora", "neu")
    done = signavatar("lexicon", "validate", "--city", data=data, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert any(line.startswith("too similar:") and "STADTFEST" in line and "TERMIN" in line
               for line in done.stderr.splitlines()), done.stderr
    shipped = signavatar("lexicon", "validate", "--no-render", data=data, cwd=tmp_path)
    assert shipped.returncode == 0, shipped.stderr
