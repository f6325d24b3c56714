"""A small Bürgeramt vocabulary shared by the text_to_gloss tests (lemma -> gloss id)."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import to_gloss_id

_LEMMAS = """
ich du er sie wir ihr mein dein
termin personalausweis reisepass ausweis bürgeramt amt gebühr euro formular foto unterlage
wohnung wohnsitz pass zeit uhr woche nächste montag freitag
brauchen haben kommen warten anmelden ummelden abholen kosten bezahlen beantragen
schließen helfen mitbringen vereinbaren umziehen ausfüllen öffnen verlieren
können müssen wollen dürfen möchten
nicht kein wo wann was wie wer warum welche
heute morgen gestern jetzt bald neu fertig bitte hier und
""".split()


@pytest.fixture
def vocabulary() -> dict[str, str]:
    """Lower-case lemma -> gloss id, the shape the lexicon's lemma map has."""
    return {lemma: to_gloss_id(lemma) for lemma in _LEMMAS}
