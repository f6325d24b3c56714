"""The glosses of a sequence as the editor gets them (GET /v1/gloss, POST /v1/preview): clip.json's
fields of each token (jobs/metadata.py sequence_to_dict) plus what the sign will mouth and where that
choice comes from, so the editor can show every sign's Mundbild and whether an editor set it, and the
gloss as the captions show it to viewers (`caption`: `fs-MEIER` -> `M-E-I-E-R`), so the editor shows
what viewers will read without a second copy of the fingerspelling convention in JavaScript."""

from __future__ import annotations

from typing import Any, Literal

from signavatar.fingerspelling import viewer_gloss
from signavatar.gloss_to_pose.mouthing import chosen_mouthing
from signavatar.jobs.metadata import sequence_to_dict
from signavatar.lexicon import Lexicon
from signavatar.text_to_gloss.senses import sense_options
from signavatar.types import GlossSequence, GlossToken

MouthingSource = Literal["editor", "lexicon", "default"]
"""editor: the gloss string chose it (`GLOSS{mouthing}`); lexicon: the sign's entry names it;
default: none chose it (the word the gloss names, the fingerspelled word, the number)."""

# chosen_mouthing returns the lexicon's mouthing only where its order of precedence reaches the
# lexicon; asking it with this value (never a gloss, a word or a number) tells whether it does,
# without repeating that order here.
_PROBE = "\x00lexicon"


def mouthing_source(token: GlossToken, lexicon_mouthing: str | None) -> MouthingSource:
    """Where `chosen_mouthing(token, lexicon_mouthing)` takes its mouthing from."""
    if token.mouthing is not None:
        return "editor"
    if lexicon_mouthing is not None and chosen_mouthing(token, _PROBE) == _PROBE:
        return "lexicon"
    return "default"


def mouthing_fields(token: GlossToken, lexicon: Lexicon) -> dict[str, str]:
    """`mouthing`: what the sign mouths (a word, or a gesture name; "none" for no mouth picture),
    and `mouthing_source`."""
    entry = lexicon.get(token.gloss)
    lexicon_mouthing = entry.mouthing if entry is not None else None
    return {"mouthing": chosen_mouthing(token, lexicon_mouthing),
            "mouthing_source": mouthing_source(token, lexicon_mouthing)}


def sense_field(token: GlossToken, lexicon: Lexicon) -> dict[str, Any]:
    """`sense` for a sign the translator's sense layer chose (glosses/SENSES.md): the word's lemma,
    the label of the sense taken and every sense of the entry with its signs as the gloss string
    writes them, so the editor can show the choice and offer the others; {} for other tokens."""
    found = sense_options(token, frozenset(lexicon.entries))
    if found is None:
        return {}
    lemma, label, options = found
    return {"sense": {"lemma": lemma, "label": label,
                      "options": [{"glosses": o.glosses, "label": o.label, "chosen": o.chosen} for o in options]}}


def sequence_out(seq: GlossSequence, lexicon: Lexicon) -> dict[str, Any]:
    """sequence_to_dict(seq) with `mouthing_fields`, `caption` (viewer_gloss) and, for a sign the
    sense layer chose, `sense` added to every token."""
    out = sequence_to_dict(seq)
    out["glosses"] = [{**d, **mouthing_fields(t, lexicon), "caption": viewer_gloss(t.gloss), **sense_field(t, lexicon)}
                      for d, t in zip(out["glosses"], seq.tokens, strict=True)]
    return out
