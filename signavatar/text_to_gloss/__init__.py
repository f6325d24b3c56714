"""German text -> DGS gloss sequence (rules on HanTa lemmas and tags), and hand-written glosses.

Public API: `text_to_gloss(text, vocabulary)`, `explain(text, vocabulary)` (the same with the rule
behind every gloss and dropped word), `parse_gloss_string(glosses, known)`, `to_gloss_id(word)`.
Conventions and rules: glosses/GLOSS_CONVENTIONS.md.
"""

from signavatar.text_to_gloss.gloss_ids import to_gloss_id
from signavatar.text_to_gloss.gloss_string import parse_gloss_string
from signavatar.text_to_gloss.input_text import MAX_TEXT_CHARS
from signavatar.text_to_gloss.translate import Explanation, explain, text_to_gloss

__all__ = ["MAX_TEXT_CHARS", "Explanation", "explain", "parse_gloss_string", "text_to_gloss", "to_gloss_id"]
