"""The face channels of a PoseTrack (`PoseTrack.face (T, C)`, C = len(FACE_CHANNELS)), defined once:
the lexicon validates sign entries against them, the sequencer writes them, the rig draws them.

The blend channels come first (each a weighted mix of the asset's ARKit-style targets, rig.py
CHANNEL_TARGETS); head_nod and head_shake are not blend shapes: the motion stage turns them into
head rotations.
"""

from __future__ import annotations

BLEND_CHANNELS: tuple[str, ...] = ("brows_up", "brows_down", "mouth_open", "mouth_round", "mouth_spread", "eyes_closed")
HEAD_CHANNELS: tuple[str, ...] = ("head_nod", "head_shake")
FACE_CHANNELS: tuple[str, ...] = BLEND_CHANNELS + HEAD_CHANNELS
