"""A sign's review state, from the review log and the sign's current form.

A decision on a sign (approved, rejected, proposed: a fix asked for in words) holds for the form it
was made on (SignEntry.form, the hash the lexicon version is made of): a new revision of the sign
has another form and starts unreviewed, while reviewing never writes a sign file and never changes
the lexicon version. A shipped sign file's own `"reviewed": true` counts as approved by the project
until an editor decides otherwise on that form; an overlay file's flag counts for nothing (the
city's review state lives in the log only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signavatar.lexicon import SignEntry
from signavatar.review.store import ACTIONS, SIGN, ReviewEntry

UNREVIEWED = "unreviewed"
STATES = (UNREVIEWED, *ACTIONS[SIGN])


@dataclass(frozen=True)
class SignReview:
    """state: one of STATES; decision: the log entry it comes from (None: unreviewed, or approved
    by the shipped file)."""

    state: str
    decision: ReviewEntry | None = None

    @property
    def reviewed(self) -> bool:
        return self.state == "approved"

    def to_dict(self, editor: bool) -> dict[str, object]:
        """{"state", "time"?, "editor"? (only when `editor`: the caller holds the editor key),
        "shipped"?: true when the approval is the shipped file's}."""
        out: dict[str, object] = {"state": self.state}
        if self.decision is not None:
            out["time"] = self.decision.time
            if editor:
                out["editor"] = self.decision.editor
        elif self.reviewed:
            out["shipped"] = True
        return out


def sign_review(entry: SignEntry, decisions: Sequence[ReviewEntry]) -> SignReview:
    """The review state of `entry` given the decisions on its gloss (oldest first)."""
    current = [d for d in decisions if d.form and d.form == entry.form and d.action in ACTIONS[SIGN]]
    if current:
        return SignReview(current[-1].action, current[-1])
    if entry.reviewed and not entry.in_overlay:
        return SignReview("approved")
    return SignReview(UNREVIEWED)
