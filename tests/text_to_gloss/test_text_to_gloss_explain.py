"""Rule provenance (explain, GlossToken.rule), the number and address rules in isolation, and
`signavatar gloss --explain` through the installed console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signavatar.text_to_gloss import explain, text_to_gloss
from signavatar.text_to_gloss.compounds import split_compound
from signavatar.text_to_gloss.rules import RULES
from signavatar.text_to_gloss.tokenize import split_sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("Der Termin ist um 8:30 Uhr.", ["8", "UHR", "30", "TERMIN"]),
    ("Der Termin ist um 12:00.", ["12", "UHR", "TERMIN"]),
    ("Der Termin ist am 17.03.2025.", ["17", "fs-MÄRZ", "2025", "TERMIN"]),
    ("Der Pass kostet 37,50 €.", ["PASS", "37", "EURO", "50", "KOSTEN"]),
    ("Der Pass kostet 1.000 Euro.", ["PASS", "1000", "EURO", "KOSTEN"]),
    ("Ich bin unter 030 1234-567 erreichbar.", ["ICH", "0", "3", "0", "1", "2", "3", "4", "5", "6", "7",
                                                 "fs-ERREICHBAR"]),
    ("Das Amt ist Mo–Fr 8:00–12:30 geöffnet.", ["MONTAG", "fs-BIS", "FREITAG", "8", "UHR", "fs-BIS", "12", "UHR",
                                                 "30", "AMT", "ÖFFNEN"]),
])
def test_number_expressions(text: str, expected: list[str], vocabulary: dict[str, str]) -> None:
    assert text_to_gloss(text, vocabulary).glosses() == expected


def test_every_gloss_names_its_rule_and_every_dropped_word_its_reason(vocabulary: dict[str, str]) -> None:
    result = explain("Ich habe den Termin im Bürgeramt vereinbart.", vocabulary)
    assert [(t.gloss, t.rule) for t in result.sequence.tokens] == [
        ("BÜRGERAMT", "place-after-time"), ("ICH", "pronoun"), ("TERMIN", "lexicon"), ("VEREINBAREN", "verb-last"),
    ]
    assert set(result.dropped) == {(("habe",), "drop-auxiliary"), (("den",), "drop-article"),
                                   (("im",), "drop-function-word")}
    assert all(rule in RULES for _, rule in result.dropped)
    assert result.lines()[0].split() == ["BÜRGERAMT", "lexicon", "Bürgeramt", "place-after-time"]


def test_email_and_url_are_spelled_with_a_warning_never_dropped(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Schreiben Sie an info@stadt.de oder sehen Sie auf www.stadt.de/amt nach.", vocabulary)
    assert result.glosses()[:4] == ["DU", "fs-INFO", "fs-STADT", "fs-DE"]
    assert "„info@stadt.de“ ist eine E-Mail-Adresse (@ und Punkte werden nicht gebärdet): wird gebuchstabiert" \
        in result.warnings
    assert any(w.startswith("„www.stadt.de/amt“ ist eine Webadresse") and "weggelassen" in w for w in result.warnings)


def test_compound_split_prefers_known_parts_and_spells_one_missing_part() -> None:
    vocabulary = {"melden": "MELDEN", "bescheinigung": "BESCHEINIGUNG", "termin": "TERMIN", "amt": "AMT"}
    assert split_compound("Meldebescheinigung", vocabulary) == [("melde", "MELDEN"), ("bescheinigung", "BESCHEINIGUNG")]
    assert split_compound("Terminvereinbarung", vocabulary) == [("termin", "TERMIN"), ("vereinbarung", None)]
    assert split_compound("Amtmann", vocabulary) is None  # "mann" is too short to spell as a part
    assert split_compound("Meier", vocabulary) is None


def test_leichte_sprache_mediopunkt_and_bullets() -> None:
    sentences = split_sentences("Das Bürger·amt hilft.\nBringen Sie mit:\n• Ausweis\n• Foto")
    assert [s.tokens for s in sentences] == [("Das", "Bürgeramt", "hilft"), ("Bringen", "Sie", "mit", ":"),
                                             ("Ausweis",), ("Foto",)]


def test_plural_is_repeated_bare_and_counted_once(vocabulary: dict[str, str]) -> None:
    vocabulary["formular"] = "FORMULAR"
    assert text_to_gloss("Ich brauche Formulare.", vocabulary).glosses() == ["ICH", "FORMULAR", "FORMULAR", "BRAUCHEN"]
    assert text_to_gloss("Ich brauche drei Formulare.", vocabulary).glosses() == ["ICH", "3", "FORMULAR", "BRAUCHEN"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("signavatar", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "signavatar.cli"]
    env = {**os.environ, "SIGNAVATAR_DATA_DIR": str(cwd / "var")}
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def test_cli_gloss_explain(tmp_path: Path) -> None:
    done = _cli("gloss", "--explain", "Morgen brauche ich eine Meldebescheinigung.", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert rows[0] == ["Quelle:", "Regeln"]  # no memory entry, no model: the rules answered
    assert rows[1] == ["MORGEN", "lexicon", "Morgen", "time-first"]
    assert ["ANMELDEN", "lexicon", "Meldebescheinigung", "compound-split"] in rows
    assert ["(dropped)", "eine", "drop-article"] in rows
