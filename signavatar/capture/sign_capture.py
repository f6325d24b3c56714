"""A recorded sign -> a lexicon entry (`source: recorded`), for `signavatar capture VIDEO --gloss NAME`
(commands/capture.py).

The steps (each its own module): MediaPipe Holistic on the video (holistic_video), One-Euro
smoothing of the landmarks (one_euro), the hands' orientation from fitting the inventory's shapes
(hand_fit), retargeting onto the avatar (retarget), cutting rest, raise and lower (trim),
snapping the hands to inventory shapes chosen with the handshape bank (handshape_snap, hand_bank),
and the entry file (recorded_entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.hand_bank import HandBank
from signavatar.capture.hand_fit import fit_hands, uncertain_share
from signavatar.capture.handshape_snap import DEPTH_WEIGHT, snap_handshapes
from signavatar.capture.holistic_video import BODY_SPACE, arm_depth_from_lengths, read_signer
from signavatar.capture.one_euro import OneEuro, smooth_holistic
from signavatar.capture.recorded_entry import check_gloss, recorded_entry
from signavatar.capture.retarget import Retargeter
from signavatar.capture.rotation_filter import RotationFilter, filter_track
from signavatar.capture.trim import SignSpan, find_sign, shorten_holds
from signavatar.gloss_to_pose.poser import Poser
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack

#: One-Euro settings for captures: a 3 Hz cutoff at rest instead of the filter's 1 Hz lags less when
#: a movement starts; the rotation filter after retargeting is zero-phase and smooths too. Round
#: trip (benchmarks/roundtrip.py, 6 signs, linear / DTW): 1 Hz 13.2 / 11.4 deg, 3 Hz 13.0 / 11.2,
#: 6 Hz 12.9 / 11.2 (differences near the run-to-run spread of single signs)
SMOOTHING = OneEuro(min_cutoff=3.0)
#: a captured hand whose picture fits no inventory handshape in this share of the sign's frames
#: gets a "check it" line. A hint, not a guarantee. With the bank, by the snap's best score above
#: UNCERTAIN_SCORE; on 17 round-trip renders (512 px) it flagged the left hands of TERMIN, BUERGERAMT,
#: KOENNEN, KOSTEN and FORMULAR (38-100 %; BUERGERAMT's was wrong), no hand of the other twelve signs
#: (0-20 %), and missed ICH and DU, whose index fingers are captured 12-18 degrees off. Without the
#: bank, by the hand fit's score (hand_fit.MAX_SCORE).
UNCERTAIN_WARN = 0.3
UNCERTAIN_SCORE = 4.0


@dataclass(frozen=True)
class CaptureOptions:
    """How a recording becomes an entry. max_hold: seconds a still stretch may last (None: as
    recorded); smoothing None: no One-Euro filter; duration: seconds the entry is scaled to;
    arm_depth: rebuild arm depth from bone lengths (holistic_video.arm_depth_from_lengths; round
    trip: read-back arm angle difference 25.0 -> 18.4 deg, avatar arm rotations 25.2 -> 22.0 deg);
    rotation_filter: median and low-pass of the retargeted rotations (rotation_filter.py), None: off;
    snap: hands near an inventory handshape take its exact finger rotations (handshape_snap.py; round
    trip: avatar finger rotations 21.8 -> 13.4 deg, MediaPipe read-back 11.2 -> 12.1 deg DTW);
    hand_fit: each hand's orientation from fitting the inventory's shapes to its picture (hand_fit.py;
    round trip, 6 / 12 signs: avatar arm rotations 20.1 -> 17.5 / 22.5 -> 20.2 deg, read-back
    12.1 -> 12.4 / 22.0 -> 21.7 deg DTW, rendered joint angles 11.6 -> 11.7 / 19.2 -> 19.2 deg)."""

    body_space: str = BODY_SPACE
    smoothing: OneEuro | None = SMOOTHING
    max_hold: float | None = None
    duration: float | None = None
    arm_depth: bool = True
    rotation_filter: RotationFilter | None = RotationFilter()
    snap: bool = True
    hand_fit: bool = True


@dataclass(frozen=True)
class Capture:
    """The entry written (or to write), the sign's frames in the retargeted recording, the full
    retargeted recording (T, J, 4) at the recording's frame rate, and per active hand the share of
    the sign's frames whose picture fits no inventory handshape well (with the bank: the snap's score
    above UNCERTAIN_SCORE; without it, hand_fit.uncertain_share; empty with neither)."""

    entry: dict[str, Any]
    span: SignSpan
    kept: tuple[int, ...]
    track: PoseTrack
    uncertain: dict[str, float] = field(default_factory=dict)


def rest_rotations(skeleton: Skeleton, lexicon: Lexicon) -> FloatArray:
    """(J, 4) local quaternions of the avatar's rest pose (both arms at REST)."""
    return Poser(skeleton, lexicon).rest_rotations()


def take_frames(track: PoseTrack, frames: list[int] | tuple[int, ...]) -> PoseTrack:
    """The track reduced to `frames` (indices, in order); fps unchanged."""
    idx = np.asarray(frames, dtype=int)
    return replace(track, rotations=track.rotations[idx], root=track.root[idx], face=track.face[idx],
                   labels=tuple(track.labels[i] for i in idx))


def capture_sign(path: Path, gloss: str, skeleton: Skeleton, lexicon: Lexicon, *, lemmas: tuple[str, ...] = (),
                 mouthing: str | None = None, description: str | None = None,
                 options: CaptureOptions = CaptureOptions(), bank: HandBank | None = None) -> Capture:
    """A video or .pose recording of one sign -> its recorded lexicon entry (not written).

    bank: MediaPipe's readings of the avatar's handshapes (hand_bank.py) for choosing the shapes the
    hands snap to; None: by finger angles alone."""
    check_gloss(gloss)
    frames = read_signer(path, options.body_space)
    if options.smoothing is not None:
        frames = smooth_holistic(frames, options.smoothing)
    flat = Path(path).suffix.lower() == ".pose"
    scores = None
    if bank is not None and options.snap:
        # .pose files carry no depth for the hands: the picture plane alone
        depth = 0.0 if flat else DEPTH_WEIGHT
        scores = {"R": bank.scores(frames.right_hand, "R", depth), "L": bank.scores(frames.left_hand, "L", depth)}
    retargeter = Retargeter(skeleton, lexicon)
    if options.arm_depth and not flat:  # .pose files: 2D, lifted by the retargeter
        ik = retargeter.arms["R"]
        frames = arm_depth_from_lengths(frames, ik.len_upper, ik.len_fore, retargeter.shoulder_width)
    fits = None
    if options.hand_fit and not flat:  # flat .pose hands: lift.py's rules instead
        fits = fit_hands(frames.right_hand, frames.left_hand, skeleton, lexicon, retargeter)
    # the hands' orientation from the handshape fit (capture/hand_fit.py), not the palm triangle
    track = retargeter.track(frames, skeleton.skeleton_id,
                             None if fits is None else {s: f.rotations for s, f in fits.items()})
    if options.rotation_filter is not None:
        track = filter_track(track, options.rotation_filter)
    rest = rest_rotations(skeleton, lexicon)
    span = find_sign(track, skeleton, rest)
    # without the bank, the hand fit says where no inventory shape fits the picture; the bank's scores
    # (below) replace that where there is one
    uncertain = {} if fits is None else {s: uncertain_share(fits[s], span.start, span.end) for s in span.sides}
    if options.snap:
        # the fingers snap to the shape the bank's scores choose (by their angles without a bank), not to
        # the hand fit's choice: measured on both round-trip sets, the fit's choice put the rendered joint
        # angles and finger rotations further from the original than the angles (+0.3..0.5 / +1.5..2.5
        # deg), the bank nearer (BENCHMARKS.md, "Capture round trip")
        snapped = snap_handshapes(track, skeleton, lexicon, span.sides, bank_scores=scores,
                                  span=(span.start, span.end))
        track = snapped.track
        for side in span.sides:
            share = snapped.uncertain_share(side, span.start, span.end, UNCERTAIN_SCORE)
            if share is not None:
                uncertain[side] = share
        if options.rotation_filter is not None:  # a change between two snapped shapes eases over a few frames
            track = filter_track(track, RotationFilter(median_frames=1, passes=options.rotation_filter.passes))
    kept = list(range(span.start, span.end + 1))
    if options.max_hold is not None:
        kept = shorten_holds(track, span, skeleton, rest, options.max_hold)
    if description is None:
        description = (f"Recorded from {Path(path).name} by signavatar capture (MediaPipe Holistic, "
                       f"{options.body_space} body landmarks): frames {span.start}-{span.end} of {track.num_frames} "
                       f"at {track.fps:g} fps.")
    sign = take_frames(track, kept)
    if options.rotation_filter is not None and len(kept) < span.num_frames:
        # a shortened hold joins two frames that drifted apart during the hold: ease the join
        sign = filter_track(sign, RotationFilter(median_frames=1, passes=options.rotation_filter.passes))
    entry = recorded_entry(sign, span.sides, gloss, description, lemmas, mouthing,
                           options.duration)
    return Capture(entry, span, tuple(kept), track, uncertain)
