"""The names of the translation rules, each with the example that documents it.

Every GlossToken carries the name of the rule that produced it (`GlossToken.rule`), every dropped
word the rule that dropped it, so `signavatar gloss --explain` can show why a sign is there or
not. The test sentences in tests/text_to_gloss/buergeramt_sentences.tsv are tagged with these
names, and a test checks that every rule here is covered. Prose: glosses/GLOSS_CONVENTIONS.md.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # Text and sentence structure
    "sentence-split": "Wo ist das Amt? Ich habe einen Termin. -> AMT WO | ICH TERMIN HABEN",
    "leichte-sprache": "Das Bürger·amt hilft. / bullet lines -> BÜRGERAMT HELFEN, one sentence per bullet",
    # Plain signs and what is left out
    "lexicon": "Personalausweis -> PERSONALAUSWEIS (lemma or written form in the lexicon)",
    "pronoun": "mir -> ICH, Sie -> DU (pointing signs ICH DU SIE WIR IHR)",
    "pronoun-they": "Die Mitarbeiter helfen. Sie sprechen Englisch. -> MITARBEITER HELFEN | SIE ENGLISCH SPRECHEN "
    "(a sentence-initial Sie after a plural subject of persons means they)",
    "drop-article": "der, die, das, ein ... -> (nothing)",
    "drop-copula": "ist, sind, wird -> (nothing)",
    "drop-auxiliary": "habe ... beantragt -> BEANTRAGEN (haben with a participle)",
    "drop-function-word": "im, für, und, dass ... -> (nothing) unless the lexicon has the word",
    "drop-reflexive": "Ich melde mich an. -> ICH ANMELDEN",
    "drop-demonstrative": "Das dauert lange. -> DAUERN LANGE (a pointing-back 'das' is signed only if the "
    "lexicon has it)",
    "no-repeat": "Mein Kind braucht einen Kinderreisepass. -> ICH KIND PASS BRAUCHEN (one idea, one sign: "
    "never two equal signs in a row from different words; FORMULAR FORMULAR is the plural of one word)",
    # Words and phrases that carry the meaning (signed, fingerspelled when the lexicon lacks the sign)
    "phrase": "zum Beispiel -> ZUM-BEISPIEL, nach Hause -> NACH-HAUSE, Wie lange ...? -> ... WIE-LANGE "
    "(a fixed phrase of phrases.py is one sign, not a place, not a plural)",
    "kept-preposition": "Ab 8 Uhr können Sie kommen. -> AB 8 UHR DU KOMMEN KÖNNEN (ab, seit, vor, nach, bis, "
    "bis zu, innerhalb, pro, unter/über + number: signed before their phrase and moved with it)",
    "approximate-quantity": "Das kostet etwa 30 Euro. -> UNGEFÄHR 30 EURO KOSTEN (etwa, ungefähr, rund, circa "
    "before a number)",
    "comparative": "länger als 3 Monate -> LÄNGER 3 MONAT (the comparative's own sign; 'als' not signed)",
    "focus-particle": "Sie können nur bar bezahlen. -> DU NUR BAR BEZAHLEN KÖNNEN (nur, noch, schon, auch, "
    "selbst/persönlich -> SELBST, where they stand)",
    "duration": "Das dauert lange. -> DAUERN LANGE (lange with its verb, never DAUERN twice)",
    "length": "Der Weg ist 3 Meter lang. -> WEG 3 METER LANG (spatial lang is LANG, not DAUERN)",
    # Order and non-manual markers
    "time-first": "Ich komme morgen. -> MORGEN ICH KOMMEN",
    "place-after-time": "Morgen warte ich im Bürgeramt. -> MORGEN BÜRGERAMT ICH WARTEN",
    "verb-last": "Ich brauche einen Termin. -> ICH TERMIN BRAUCHEN",
    "particle-verb": "Das Bürgeramt macht um 8 Uhr auf. -> 8 UHR BÜRGERAMT ÖFFNEN (the particle joined to its "
    "verb before lookup, aufmachen -> ÖFFNEN; never the bare MACHEN; signed last like any verb)",
    "open-closed": "Das Amt ist heute zu. -> HEUTE AMT SCHLIESSEN (ist/hat zu -> SCHLIESSEN, ist/hat auf -> ÖFFNEN)",
    "modal-after-verb": "Ich muss bezahlen. -> ICH BEZAHLEN MÜSSEN",
    "negation": "Ich komme nicht. -> ICH KOMMEN NICHT (headshake over the verb complex and NICHT)",
    "question-yn": "Haben Sie einen Termin? -> DU TERMIN HABEN (raised brows on every sign)",
    "question-wh": "Wo ist das Amt? -> AMT WO (question sign last, lowered brows on every sign)",
    "condition": "Wenn Sie krank sind, kommen Sie später. -> DU KRANK | DU SPÄTER KOMMEN (the clause first, "
    "raised brows and head forward over it; wenn/falls/sofern not signed; also without the comma)",
    "condition-dann": "Wenn Sie krank sind, dann bleiben Sie zu Hause. -> DU KRANK | DANN ... (DANN first in "
    "its clause)",
    "clause-und": "Ich gehe zum Amt und meine Frau wartet. -> AMT ICH GEHEN | FRAU WARTEN (two clauses, each "
    "with its own verb at its end; UND only if the lexicon has it)",
    "conjunction-oder": "Kommen Sie heute oder morgen. -> HEUTE ODER MORGEN DU KOMMEN (ODER where it stands)",
    "conjunction-aber": "Das Amt ist zu, aber Sie können online einen Termin machen. -> AMT SCHLIESSEN | ABER DU "
    "ONLINE TERMIN MACHEN KÖNNEN (ABER where it stands, first in its clause)",
    "contrast-sondern": "Sie brauchen nicht den Pass, sondern den Ausweis. -> DU PASS BRAUCHEN NICHT | SONDERN "
    "AUSWEIS (the headshake only on the negated part)",
    "topic": "Das Formular brauche ich. -> FORMULAR ICH BRAUCHEN (a fronted object: raised brows, head forward)",
    "affirmation": "Ja. / Genau. / Richtig. -> JA / JA / RICHTIG (head nod)",
    "imperative": "Bringen Sie das Formular mit! -> DU FORMULAR BRINGEN",
    "plural-quantity": "zwei Formulare -> 2 FORMULAR (the number carries the plural)",
    "plural-repeat": "Formulare -> FORMULAR FORMULAR (a bare plural is signed twice)",
    # Numbers
    "number": "1.000 -> 1000, zwei -> 2 (number signs composed up to 9999)",
    "decimal": "7,5 -> 7 KOMMA 5; 2,25 -> 2 KOMMA 2 5 (the digits after the comma one by one)",
    "large-number": "25.000 -> 25 TAUSEND; 3.500.000 -> 3 MILLION 500 TAUSEND; 22,1 Millionen -> 22 KOMMA 1 MILLION",
    "postcode": "10115 Berlin / PLZ 10115 -> 1 0 1 1 5 (digit by digit)",
    "number-code": "Kundennummer 123456 -> 123456 (a code: signed digit by digit)",
    "clock-time": "8:30 Uhr -> 8 UHR 30; 12:00 -> 12 UHR",
    "date": "17.03.2025 / 17. März 2025 -> 17 MÄRZ 2025",
    "money": "37,50 € -> 37 EURO 50; 0,50 € -> 50 CENT",
    "phone": "030 1234-567 -> 0 3 0 1 2 3 4 5 6 7 (digit by digit)",
    "opening-hours": "Mo–Fr 8:00–12:30 -> MONTAG BIS FREITAG 8 UHR BIS 12 UHR 30",
    # Words without a sign of their own, and words of several senses (glosses/senses.json, SENSES.md)
    "synonym": "Ich buche einen Termin. -> ICH TERMIN VEREINBAREN (buchen has no sign: a sign of the same meaning)",
    "sense": "Geben Sie uns Bescheid. -> DU WIR INFORMIEREN; Sie bekommen einen Bescheid. -> DU BESCHEID BEKOMMEN "
    "(the sense the context asks for)",
    "drop-sense": "Das Amt befindet sich im Rathaus. -> (befinden not signed); Die Zahlung erfolgt bar. -> "
    "BEZAHLEN BAR",
    "compound-split": "Meldebescheinigung -> ANMELDEN BESCHEINIGUNG",
    "compound-fingerspell": "Terminvereinbarung -> TERMIN fs-VEREINBARUNG (missing part spelled)",
    "fingerspell-name": "Herr Yılmaz -> fs-YILMAZ",
    "fingerspell-street": "Goethestraße 12 -> fs-GOETHESTRAßE 12",
    "address": "in der Hauptstraße 5, 12345 Berlin -> fs-HAUPTSTRAßE 5 1 2 3 4 5 fs-BERLIN (together, in order; "
    "the postcode digit by digit)",
    "fingerspell-email": "info@stadt.de -> fs-INFO fs-STADT fs-DE (@ and . not signed, warned)",
    "fingerspell-url": "www.berlin.de/termin -> fs-BERLIN fs-DE (path left out, warned)",
    "fingerspell-unknown": "Vermieter -> fs-VERMIETER (not in the lexicon, warned)",
}

SENTENCE_RULES = frozenset({"sentence-split", "leichte-sprache", "question-yn", "question-wh", "imperative"})
"""Rules that describe a whole sentence rather than one sign."""
