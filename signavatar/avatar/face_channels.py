"""The face channels of a PoseTrack (`PoseTrack.face (T, C)`, C = len(FACE_CHANNELS)), defined once:
the lexicon validates sign entries against them, the sequencer writes them, the rig draws them.

The blend channels come first (each a weighted mix of the asset's ARKit-style targets, rig.py
CHANNEL_TARGETS); head_nod and head_shake are not blend shapes: the motion stage turns them into
head rotations.

The mouth channels are the visemes of mouthing.py: mouth_open (open), mouth_round (rounded),
mouth_spread (spread), lips_closed (m b p: lips pressed together), lip_teeth (f v w: lower lip to the
upper teeth), cheeks_puff (the "pf" gesture); tongue_teeth and neutral are mixes of these.
"""

from __future__ import annotations

BLEND_CHANNELS: tuple[str, ...] = (
    "brows_up", "brows_down", "mouth_open", "mouth_round", "mouth_spread", "eyes_closed",
    "lips_closed", "lip_teeth", "cheeks_puff",
)
HEAD_CHANNELS: tuple[str, ...] = ("head_nod", "head_shake")
FACE_CHANNELS: tuple[str, ...] = BLEND_CHANNELS + HEAD_CHANNELS
