"""The boundary types between the pipeline stages (see DESIGN.md).

Text -> GlossSequence -> PoseTrack -> frames -> Clip. Every stage takes and returns only these.
Arrays carry their shapes in the docstrings; all are float32 unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from signavatar.typed import FloatArray

GlossKind = Literal["lexicon", "fingerspell", "number", "unknown"]
SentenceType = Literal["statement", "question-yn", "question-wh", "imperative"]
VideoFormat = Literal["mp4", "webm", "gif"]

GLOSS_KINDS: tuple[str, ...] = ("lexicon", "fingerspell", "number", "unknown")
VIDEO_FORMATS: tuple[str, ...] = ("mp4", "webm", "gif")



@dataclass(frozen=True)
class GlossToken:
    """One sign in a sequence.

    gloss: the id, upper case (`TERMIN`, `fs-MEIER` for fingerspelling, `17` for a number).
    words: the German words it came from (empty for hand-written glosses).
    kind: where its motion comes from.
    nonmanual: markers spread over this sign, e.g. ("negation",) or ("question-wh",).
    rule: the translation rule that produced it ("time-first", "compound-split" ...; names in
        glosses/GLOSS_CONVENTIONS.md), for `signavatar gloss --explain`; "" when hand-written.
    mouthing: what the mouth shows with this sign, set by an editor: a German word, a mouth gesture
        (gloss_to_pose/mouthing.py MOUTH_GESTURES, "none" for no mouth picture); None: the default
        (the lexicon entry's `mouthing`, else the word the gloss names; gloss_to_pose/mouth_track.py).
    sense: the lemma of the sense-layer entry (glosses/senses.json) that chose this sign, so the
        editor can offer the entry's other senses; "" otherwise.
    """

    gloss: str
    words: tuple[str, ...] = ()
    kind: GlossKind = "lexicon"
    nonmanual: tuple[str, ...] = ()
    rule: str = ""
    mouthing: str | None = None
    sense: str = ""


@dataclass(frozen=True)
class GlossSequence:
    """The translation of one text: tokens in DGS order plus what could not be translated."""

    tokens: tuple[GlossToken, ...]
    sentence_type: SentenceType = "statement"
    source_text: str = ""
    warnings: tuple[str, ...] = ()

    def glosses(self) -> list[str]:
        return [t.gloss for t in self.tokens]

    def __str__(self) -> str:
        """The gloss string an editor would write: `TERMIN GUT{pf}`, an editor's mouthing in braces
        (read back by text_to_gloss/gloss_string.py parse_gloss_string)."""
        return " ".join(t.gloss if t.mouthing is None else f"{t.gloss}{{{t.mouthing}}}" for t in self.tokens)


@dataclass(frozen=True)
class PoseTrack:
    """Skeleton motion, sampled at `fps`.

    rotations: (T, J, 4) local joint rotations as unit quaternions (w, x, y, z), relative to the
        skeleton's rest pose and expressed in the rest-pose (world) axes.
    root: (T, 3) root translation in metres, added to the rest position of the root joint.
    face: (T, C) face channel weights in [0, 1], channel names in `face_channels`.
    labels: per frame, the gloss being signed ("" for rest and transitions).
    """

    fps: float
    skeleton_id: str
    joint_names: tuple[str, ...]
    rotations: FloatArray
    root: FloatArray
    face: FloatArray
    face_channels: tuple[str, ...]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        t = self.rotations.shape[0]
        if self.rotations.ndim != 3 or self.rotations.shape[1:] != (len(self.joint_names), 4):
            raise ValueError(f"rotations must be (T, {len(self.joint_names)}, 4), got {self.rotations.shape}")
        if self.root.shape != (t, 3):
            raise ValueError(f"root must be ({t}, 3), got {self.root.shape}")
        if self.face.shape != (t, len(self.face_channels)):
            raise ValueError(f"face must be ({t}, {len(self.face_channels)}), got {self.face.shape}")
        if len(self.labels) != t:
            raise ValueError(f"labels must have {t} entries, got {len(self.labels)}")
        if self.fps <= 0:
            raise ValueError("fps must be positive")
        if not (np.isfinite(self.rotations).all() and np.isfinite(self.root).all() and np.isfinite(self.face).all()):
            raise ValueError("pose track contains non-finite values")

    @property
    def num_frames(self) -> int:
        return int(self.rotations.shape[0])

    @property
    def duration(self) -> float:
        return self.num_frames / self.fps


@dataclass(frozen=True)
class RenderOptions:
    """How a clip is drawn and encoded."""

    width: int = 512
    height: int = 512
    fps: int = 25
    format: VideoFormat = "mp4"
    speed: float = 1.0
    background: tuple[int, int, int] | None = (236, 239, 243)  # None: transparent (RGBA frames, webm or png)
    pose: bool = False  # also write the motion as a MediaPipe-Holistic .pose file (exports/pose_file.py)


@dataclass(frozen=True)
class ClipRequest:
    """What a user asks for: German text or a hand-written gloss string, plus options.

    source_text: with glosses only, the German sentence they translate (an editor's corrected
    glosses); kept in the clip's metadata and part of its id, the glosses are signed as given.
    """

    text: str | None = None
    glosses: str | None = None
    options: RenderOptions = field(default_factory=RenderOptions)
    source_text: str | None = None


@dataclass(frozen=True)
class Clip:
    """A rendered clip and everything needed to serve and audit it."""

    clip_id: str
    video_path: str
    subtitles_path: str
    poster_path: str
    metadata_path: str
    duration: float
    frame_count: int
    sequence: GlossSequence
    versions: dict[str, str]
    machine_generated: bool = True
    review_state: Literal["draft", "approved", "rejected"] = "draft"
    motion_path: str = ""  # the motion as glTF (motion.glb); "" for clips made before it or without an avatar
