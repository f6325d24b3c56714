"""The one gloss planning of a request: every shell (CLI, HTTP, preview, batch, Celery) plans
through `plan_glosses`, so the same text gives the same glosses, the same limits and the same
messages everywhere.

A plan is made once per request: the HTTP service plans before it queues (a bad text is a 400
then, not a failed job) and hands the plan to the worker with the job (`plan_to_dict`), which
renders it without translating again when its versions are the ones the plan was made with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.fingerspelling import PREFIX
from signavatar.jobs.metadata import sequence_from_dict, sequence_to_dict
from signavatar.pipeline_protocols import Planning
from signavatar.settings import Settings
from signavatar.text_to_gloss.mouthing_override import read_mouthing
from signavatar.types import ClipRequest, GlossSequence

PLAN_KEY = "plan"
"""The key of the plan (plan_to_dict) in a queued job's request JSON and in a Celery item."""


@dataclass(frozen=True)
class GlossPlan:
    """The glosses of a request and the length of their clip in seconds (planned, not rendered)."""

    sequence: GlossSequence
    duration: float


def plan_glosses(request: ClipRequest, pipeline: Planning, settings: Settings) -> GlossPlan:
    """The glosses of a prepared request (jobs/request.py prepare_request) and their clip's length;
    InvalidInputError (UnknownGlossError naming every unknown gloss) saying what to change."""
    if request.text is not None:
        seq = pipeline.translate(request.text)
    else:
        seq = _parse_all(pipeline, request.glosses or "")
    return check_plan(seq, pipeline, request, settings)


def check_plan(seq: GlossSequence, pipeline: Planning, request: ClipRequest, settings: Settings) -> GlossPlan:
    """`seq` as the plan of `request` when it is within the limits (max_glosses, max_duration_s)."""
    if not seq.tokens:
        raise InvalidInputError("nothing to sign: the text gave no glosses; check the spelling or write glosses")
    if len(seq.tokens) > settings.max_glosses:
        raise InvalidInputError(
            f"the text gives {len(seq.tokens)} signs; the limit is {settings.max_glosses}: split it into shorter parts"
        )
    seconds = float(pipeline.duration(seq, request.options))
    if seconds > settings.max_duration_s:
        raise InvalidInputError(
            f"the clip would last {seconds:.1f} s; the limit is {settings.max_duration_s:g} s (max_duration_s): "
            "shorten the text or raise the speed"
        )
    return GlossPlan(seq, seconds)


def _parse_all(pipeline: Planning, glosses: str) -> GlossSequence:
    """The parsed glosses; UnknownGlossError naming every gloss that cannot be signed."""
    try:
        return pipeline.parse_glosses(glosses)
    except UnknownGlossError as first:
        unknown = []
        for token in glosses.split():
            try:
                pipeline.parse_glosses(token)
            except UnknownGlossError:
                unknown.append(token)
        if len(unknown) < 2:
            raise
        raise UnknownGlossError(
            f"unknown glosses {', '.join(repr(t) for t in unknown)}: not in the lexicon; replace them or write "
            f"{PREFIX}NAME to fingerspell ({first})"
        ) from None


def plan_to_dict(plan: GlossPlan, versions: Mapping[str, str]) -> dict[str, Any]:
    """The plan as JSON for a queued job (the glosses as clip.json has them, jobs/metadata.py, and
    each token's translation rule), with the versions it was made with."""
    seq = plan.sequence
    return {
        **sequence_to_dict(seq), "rules": [t.rule for t in seq.tokens],
        "duration": plan.duration, "versions": dict(versions),
    }


def plan_from_dict(data: Mapping[str, Any], versions: Mapping[str, str]) -> GlossPlan | None:
    """The plan of `plan_to_dict` when it was made with `versions`; None when not (or unreadable):
    the worker then plans again with its own files."""
    try:
        if dict(data["versions"]) != dict(versions):
            return None
        if not all(_readable_mouthing(t.get("mouthing")) for t in data["glosses"]):
            return None
        seq = sequence_from_dict(dict(data))
        rules = [str(r) for r in data["rules"]]
        if len(rules) != len(seq.tokens):
            return None
        tokens = tuple(replace(t, rule=r) for t, r in zip(seq.tokens, rules))
        return GlossPlan(replace(seq, tokens=tokens), float(data["duration"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _readable_mouthing(mouthing: object) -> bool:
    """An editor's mouthing as plan_to_dict writes it: None, or a word or gesture name as a gloss
    string would give it (text_to_gloss/mouthing_override.py)."""
    if mouthing is None:
        return True
    if not isinstance(mouthing, str):
        return False
    try:
        return read_mouthing(mouthing) == mouthing
    except InvalidInputError:
        return False
