"""Real Bürgeramt sentences -> exact DGS gloss order, kinds and sentence type."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import text_to_gloss

L, F, N = "lexicon", "fingerspell", "number"

CASES = [
    ("Ich brauche einen neuen Personalausweis.", "statement",
     [("ICH", L), ("NEU", L), ("PERSONALAUSWEIS", L), ("BRAUCHEN", L)]),
    ("Morgen habe ich einen Termin im Bürgeramt.", "statement",
     [("MORGEN", L), ("BÜRGERAMT", L), ("ICH", L), ("TERMIN", L), ("HABEN", L)]),
    ("Wo ist das Bürgeramt?", "question-wh", [("BÜRGERAMT", L), ("WO", L)]),
    ("Ich kann heute nicht kommen.", "statement",
     [("HEUTE", L), ("ICH", L), ("KOMMEN", L), ("KÖNNEN", L), ("NICHT", L)]),
    ("Haben Sie einen Termin?", "question-yn", [("DU", L), ("TERMIN", L), ("HABEN", L)]),
    ("Herr Meier wartet.", "statement", [("fs-MEIER", F), ("WARTEN", L)]),
    ("Ich habe einen Reisepass beantragt.", "statement", [("ICH", L), ("REISEPASS", L), ("BEANTRAGEN", L)]),
    ("Ich habe keinen Termin.", "statement", [("ICH", L), ("TERMIN", L), ("HABEN", L), ("KEIN", L)]),
    ("Ich möchte mich ummelden.", "statement", [("ICH", L), ("UMMELDEN", L), ("MÖCHTEN", L)]),
    ("Wann kann ich den Ausweis abholen?", "question-wh",
     [("ICH", L), ("AUSWEIS", L), ("ABHOLEN", L), ("KÖNNEN", L), ("WANN", L)]),
    ("Was kostet ein Reisepass?", "question-wh", [("REISEPASS", L), ("KOSTEN", L), ("WAS", L)]),
    ("Der Reisepass kostet 37,50 €.", "statement",
     [("REISEPASS", L), ("37", N), ("EURO", L), ("50", N), ("KOSTEN", L)]),
    ("Nächste Woche ist das Amt geschlossen.", "statement",
     [("NÄCHSTE", L), ("WOCHE", L), ("AMT", L), ("SCHLIESSEN", L)]),
    ("Am Montag ist der Pass fertig.", "statement", [("MONTAG", L), ("PASS", L), ("FERTIG", L)]),
    ("Ich melde mich morgen im Bürgeramt an.", "statement",
     [("MORGEN", L), ("BÜRGERAMT", L), ("ICH", L), ("ANMELDEN", L)]),
    ("Können Sie mir helfen?", "question-yn", [("DU", L), ("ICH", L), ("HELFEN", L), ("KÖNNEN", L)]),
    ("Bringen Sie bitte Ihren Ausweis mit!", "imperative",
     [("DU", L), ("BITTE", L), ("AUSWEIS", L), ("MITBRINGEN", L)]),
    ("Welche Unterlagen brauche ich?", "question-wh",
     [("UNTERLAGE", L), ("ICH", L), ("BRAUCHEN", L), ("WELCHE", L)]),
    ("Der Termin ist am Freitag um 10 Uhr.", "statement",
     [("FREITAG", L), ("10", N), ("UHR", L), ("TERMIN", L)]),
    ("Sie müssen die Gebühr bezahlen.", "statement",
     [("DU", L), ("GEBÜHR", L), ("BEZAHLEN", L), ("MÜSSEN", L)]),
    ("Ich brauche einen Ausweis, ein Foto und das Formular.", "statement",
     [("ICH", L), ("AUSWEIS", L), ("FOTO", L), ("FORMULAR", L), ("BRAUCHEN", L)]),
    ("Ich habe meinen Personalausweis verloren.", "statement",
     [("ICH", L), ("PERSONALAUSWEIS", L), ("VERLIEREN", L)]),
    ("Wir wollen nächste Woche umziehen.", "statement",
     [("NÄCHSTE", L), ("WOCHE", L), ("WIR", L), ("UMZIEHEN", L), ("WOLLEN", L)]),
    ("Warum ist das Amt heute geschlossen?", "question-wh",
     [("HEUTE", L), ("AMT", L), ("SCHLIESSEN", L), ("WARUM", L)]),
    ("Darf ich das Formular hier ausfüllen?", "question-yn",
     [("ICH", L), ("FORMULAR", L), ("HIER", L), ("AUSFÜLLEN", L), ("DÜRFEN", L)]),
]


@pytest.mark.parametrize(("text", "sentence_type", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sentence_translates_to_expected_glosses(
    text: str, sentence_type: str, expected: list[tuple[str, str]], vocabulary: dict[str, str]
) -> None:
    result = text_to_gloss(text, vocabulary)
    assert [(t.gloss, t.kind) for t in result.tokens] == expected
    assert result.sentence_type == sentence_type
    assert result.source_text == text
