"""Which translator answers a text — the translation memory, a trained model or the rules — and the
explanation of that choice (`signavatar gloss --explain`).

Order: glosses an editor approved (translation memory, exact then fuzzy match) come first; else,
when a model is given, the model's glosses if it is confident enough (gloss_model/confidence.py:
the share of the words the rules sign that its phrase table covers, at least `min_confidence`,
Settings.model_min_confidence); else the rules'. The rules always translate too: they give the
sentence type and face markers, the content words the confidence counts, and the explanation
says when they were overruled and what they would have given.

The explanation is German where an editor reads it (the path headline, the memory entry, the
model's confidence, the warnings: signavatar/messages.py); the rule lines keep the rule names of
text_to_gloss/rules.py, which are identifiers, as `--explain` printed them before.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, replace
from typing import Literal

from signavatar import messages
from signavatar.errors import UnknownGlossError
from signavatar.gloss_model import GlossModel, model_sequence
from signavatar.gloss_model.confidence import ModelConfidence, model_confidence
from signavatar.text_to_gloss import Explanation
from signavatar.translation_memory import Match, memory_sequence
from signavatar.types import GlossSequence

Source = Literal["memory", "model", "rules"]


@dataclass(frozen=True)
class Choice:
    """The glosses a text gets (`sequence`), which translator gave them (`source`), and why.

    rules: the rules' translation of the text with its reasons, whoever answered.
    match: the translation memory's entry when it answered.
    confidence: the model's confidence when a model was asked (None when the memory answered or
        no model was given); min_confidence: the threshold it was held to.
    """

    sequence: GlossSequence
    source: Source
    rules: Explanation
    match: Match | None = None
    confidence: ModelConfidence | None = None
    min_confidence: float = 1.0

    def lines(self) -> list[str]:
        """The headline (which translator, and why), then the rules' lines: one per gloss (gloss,
        kind, words, rule) and per dropped word, then the warnings of the glosses returned."""
        lines = [self.headline()]
        if self.source == "memory" and self.match is not None:
            lines.extend(_memory_lines(self.match))
        if self.confidence is not None:
            lines.append(_word_line(self.confidence))
        if self.source != "rules":
            lines.append(f"Glossen: {self.sequence}")
            rules = str(self.rules.sequence)
            same = rules == str(self.sequence)
            lines.append("Die Regeln ergeben dieselben Glossen:" if same else
                         f"Regeln überstimmt – nach den Regeln wäre es {messages.quoted(rules)}:")
        lines.extend(self.rules.lines())
        if self.source != "rules":
            lines.extend(f"Hinweis (Regeln): {w}" for w in self.rules.sequence.warnings)
        lines.extend(f"Hinweis: {w}" for w in self.sequence.warnings)
        return lines

    def headline(self) -> str:
        if self.source == "memory" and self.match is not None:
            match = self.match
            how = ("exakter Treffer" if match.kind == "exact" else
                   f"ähnlicher Satz, Ähnlichkeit {messages.percent(match.similarity)}")
            return f"Quelle: Übersetzungsgedächtnis ({how})"
        if self.source == "model" and self.confidence is not None:
            return (f"Quelle: statistisches Modell (trainiert auf einem Korpus), Sicherheit "
                    f"{messages.percent(self.confidence.value)} ≥ Schwelle {messages.percent(self.min_confidence)}")
        if self.confidence is not None:
            return (f"Quelle: Regeln (statistisches Modell nicht verwendet: Sicherheit "
                    f"{messages.percent(self.confidence.value)} unter der Schwelle "
                    f"{messages.percent(self.min_confidence)})")
        return "Quelle: Regeln"


def choose(
    rules: Explanation, match: Match | None, parse: Callable[[str], GlossSequence], model: GlossModel | None,
    text: str, known: Container[str], min_confidence: float,
) -> Choice:
    """The choice for `text`: the memory's `match` (its glosses read by `parse`, which raises
    UnknownGlossError for one the lexicon no longer has: the entry is then skipped with a warning),
    else `model`'s glosses when its confidence reaches `min_confidence` (`known`: the glosses the
    lexicon can sign), else the rules'."""
    sequence = rules.sequence
    stale: tuple[str, ...] = ()
    if match is not None:
        try:
            return Choice(memory_sequence(match, parse(match.entry.glosses), sequence), "memory", rules, match)
        except UnknownGlossError as exc:  # the lexicon changed since the approval
            stale = (messages.memory_not_used(match.entry.text, str(exc)),)
            sequence = replace(sequence, warnings=(*sequence.warnings, *stale))
            rules = replace(rules, sequence=sequence)
    if model is None:
        return Choice(sequence, "rules", rules)
    confidence = model_confidence(model.table, text, (w for t in sequence.tokens for w in t.words))
    glosses = model.translate(text) if confidence.value >= min_confidence else []
    if not glosses:  # not confident enough, or the model signs nothing
        note = messages.model_not_used(confidence.value, min_confidence)
        return Choice(replace(sequence, warnings=(*sequence.warnings, note)), "rules", rules, None, confidence,
                      min_confidence)
    note = messages.from_model(confidence.value, confidence.covered, len(confidence.words))
    answer = model_sequence(glosses, sequence, known, note)
    answer = replace(answer, warnings=(*answer.warnings, *stale))  # the skipped approval stays visible
    return Choice(answer, "model", rules, None, confidence, min_confidence)


def _memory_lines(match: Match) -> list[str]:
    entry = match.entry
    lines = [
        f"Eintrag: {messages.quoted(entry.text)} -> {entry.glosses}",
        f"freigegeben von {entry.approved_by} am {messages.date_of(entry.approved_at)}",
    ]
    if entry.comment:
        lines.append(f"Kommentar: {entry.comment}")
    return lines


def _word_line(confidence: ModelConfidence) -> str:
    """The model's phrase table on each content word: its best translation alone and φ(glosses | word)."""
    parts = []
    for w in confidence.words:
        if not w.covered:
            parts.append(f"{w.word} -> dem Modell unbekannt")
        elif w.glosses:
            parts.append(f"{w.word} -> {' '.join(w.glosses)} ({messages.percent(w.probability)})")
        else:
            parts.append(f"{w.word} -> nur in Wortgruppen bekannt")
    known = f"{confidence.covered} von {len(confidence.words)} Inhaltswörtern kennt das Modell"
    return f"Modell ({known}): " + "; ".join(parts)

