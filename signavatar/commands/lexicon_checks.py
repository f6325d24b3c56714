"""The checks of `signavatar lexicon validate` beyond loading: signs too alike, handshapes not read back.

Each returns (problems, notes): a problem is one line that makes validate exit 1, a note one line of
information (what was skipped, unsure readings, how much was read).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from signavatar.errors import AvatarAssetError
from signavatar.lexicon.model import Lexicon
from signavatar.settings import Settings


def similarity_check(lexicon: Lexicon, avatar: Path) -> tuple[list[str], list[str]]:
    """Pairs of lexical signs whose motion is nearly the same (gloss_to_pose/sign_similarity.py)."""
    from signavatar.avatar.rig import load_avatar
    from signavatar.gloss_to_pose.sequencer import Sequencer
    from signavatar.gloss_to_pose.sign_similarity import similar_signs

    try:
        skeleton = load_avatar(avatar).skeleton
    except AvatarAssetError as exc:
        return [], [f"similarity not checked: no avatar ({exc})"]
    pairs = similar_signs(Sequencer(skeleton, lexicon, skeleton.skeleton_id))
    return [
        f"too similar: {p.a} and {p.b} (distance {p.distance:.2f}: place {p.place_cm:.1f} cm, turn "
        f"{p.turn_deg:.0f} deg, handshape {p.shape_cm:.1f} cm); make them differ, or name each other in "
        "same_sign_as if they are one sign" for p in pairs
    ], []


def handshape_check(root: Path, settings: Settings, factory: Any, refresh: bool) -> tuple[list[str], list[str]]:
    """Held handshapes that MediaPipe reads back as another shape (capture/sign_handshapes.py),
    with the cache file in the lexicon folder."""
    from signavatar.capture.hand_bank import StaleBankError, bank_path, load_bank
    from signavatar.capture.handshape_exemptions import (
        EXEMPT_FILE,
        ExemptionFileError,
        apply_exemptions,
        load_exemptions,
    )
    from signavatar.capture.sign_handshapes import CACHE_FILE, check_lexicon
    from signavatar.gloss_to_pose.sign_similarity import lexical_glosses

    try:
        exemptions = load_exemptions(root)
    except ExemptionFileError as exc:
        return [str(exc)], []
    pipeline = factory(settings)
    try:
        bank = load_bank(bank_path(root), pipeline.avatar.skeleton, pipeline.lexicon)
    except (StaleBankError, AvatarAssetError) as exc:
        return [], [f"handshapes not read back: {exc}"]
    start = time.perf_counter()
    glosses = lexical_glosses(pipeline.lexicon)
    run = check_lexicon(pipeline, bank, root, glosses, root / CACHE_FILE, refresh)
    seconds = time.perf_counter() - start
    judged = apply_exemptions(run.checks, exemptions, glosses)
    wrong = sum(p.startswith("handshape: ") for p in judged.problems)
    unsure = [c for c in run.checks if c.passed and c.read not in c.allowed]
    notes = [f"handshape unsure: {c.line()}" for c in unsure]
    notes.extend(judged.exempted)
    notes.append(f"handshapes: {len(run.checks)} held shapes of {run.read + run.cached} signs, {run.read} signs "
                 f"read ({seconds:.0f} s), {run.cached} from {CACHE_FILE}; {wrong} wrong, {len(unsure)} unsure, "
                 f"{len(judged.exempted)} not checkable from the front (exempted in {EXEMPT_FILE})")
    return judged.problems, notes
