"""Signs whose declared handshape the front camera cannot show, exempted from the read-back by name.

Some citation forms hide the hand from the front: an index pointing straight back over the shoulder
(away from the camera), an O hand held at the mouth seen edge-on. Turning such a hand toward the
camera would make another sign, so the lexicon folder may hold EXEMPT_FILE, a reviewed JSON object
{"GLOSS": "German and English reason why the front view cannot show the shape"}. `lexicon validate`
reports each exempted sign whose read-back fails as "not checkable from the front: GLOSS (reason)" and
counts them in its summary; it never passes one silently. The list cannot rot: an exemption of a
gloss that is not a lexical sign, with no reason, or of a sign whose every held shape reads back as
declared, is itself a problem.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from signavatar.capture.sign_handshapes import ShapeCheck

EXEMPT_FILE = "handshape_readback_exempt.json"


class ExemptionFileError(ValueError):
    """EXEMPT_FILE is not a JSON object of gloss -> non-empty reason."""


def load_exemptions(root: Path) -> dict[str, str]:
    """gloss -> reason from EXEMPT_FILE in the lexicon folder `root` ({} when there is none)."""
    path = Path(root) / EXEMPT_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExemptionFileError(f"{path}: not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ExemptionFileError(f"{path}: must be an object of gloss -> reason")
    bad = sorted(g for g, reason in data.items() if not isinstance(reason, str) or not reason.strip())
    if bad:
        raise ExemptionFileError(f"{path}: {', '.join(bad)}: the reason must be a non-empty string")
    return {str(g): str(reason) for g, reason in data.items()}


@dataclass(frozen=True)
class ExemptionResult:
    """problems: the failed checks of signs not exempted, and exemptions that are wrong (unknown
    gloss, or a sign that reads back as declared); exempted: one line per exempted sign whose
    read-back fails ("not checkable from the front: GLOSS (reason)")."""

    problems: list[str]
    exempted: list[str]


def apply_exemptions(checks: Sequence[ShapeCheck], exemptions: dict[str, str],
                     glosses: Collection[str]) -> ExemptionResult:
    """Sort the read-back's failures into problems and exempted signs (module docstring); `glosses`:
    the lexical signs that were checked."""
    failing: dict[str, list[ShapeCheck]] = {}
    read = {c.gloss for c in checks}
    for c in checks:
        if not c.passed:
            failing.setdefault(c.gloss, []).append(c)
    problems = [f"handshape: {c.line()}" for g, cs in failing.items() if g not in exemptions for c in cs]
    exempted = []
    for gloss, reason in sorted(exemptions.items()):
        if gloss not in glosses:
            problems.append(f"handshape exemption: {gloss}: no such lexical sign ({EXEMPT_FILE})")
        elif gloss not in read:
            problems.append(f"handshape exemption: {gloss}: no held handshape is read back (a recorded sign?); "
                            f"remove it from {EXEMPT_FILE}")
        elif gloss not in failing:
            problems.append(f"handshape exemption: {gloss}: its handshapes read back as declared; remove it from "
                            f"{EXEMPT_FILE}")
        else:
            shapes = "; ".join(c.line().split(": ", 1)[1] for c in failing[gloss])
            exempted.append(f"not checkable from the front: {gloss} ({reason}) [{shapes}]")
    return ExemptionResult(problems, exempted)
