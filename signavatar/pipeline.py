"""The four stages wired together: text -> glosses -> poses -> frames (encoding lives in jobs/).

One Pipeline per process: it loads the lexicon, the avatar and the translator's tagger once and
keeps one offscreen renderer per frame size, reused for every clip (DESIGN.md, "Avatar and rendering").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

import numpy as np

from signavatar import __version__
from signavatar.avatar.rig import Avatar, load_avatar
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import Lexicon, load_lexicon
from signavatar.pose_to_frames.renderer import OffscreenRenderer
from signavatar.settings import Settings
from signavatar.text_to_gloss import parse_gloss_string, text_to_gloss
from signavatar.types import GlossSequence, PoseTrack, RenderOptions


class Pipeline:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._renderers: dict[tuple[int, int, tuple[int, int, int]], OffscreenRenderer] = {}

    @cached_property
    def lexicon(self) -> Lexicon:
        return load_lexicon(self.settings.lexicon_dir)

    @cached_property
    def avatar(self) -> Avatar:
        return load_avatar(self.settings.models_dir / "build" / "avatar.npz")

    @cached_property
    def sequencer(self) -> Sequencer:
        return Sequencer(self.avatar.skeleton, self.lexicon, self.avatar.skeleton.skeleton_id)

    def translate(self, text: str) -> GlossSequence:
        """German text -> glosses; InvalidInputError for empty or over-long text."""
        return text_to_gloss(text, self.lexicon.lemma_map())

    def parse_glosses(self, glosses: str) -> GlossSequence:
        """An editor's gloss string -> glosses; UnknownGlossError names a gloss we cannot sign."""
        return parse_gloss_string(glosses, self.lexicon)

    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack:
        return self.sequencer.track(seq, fps=options.fps, speed=options.speed)

    def renderer(self, options: RenderOptions) -> OffscreenRenderer:
        key = (options.width, options.height, tuple(options.background))
        if key not in self._renderers:
            self._renderers[key] = OffscreenRenderer(
                self.avatar,
                options.width,
                options.height,
                platform=self.settings.gl_platform,
                background=key[2],  # type: ignore[arg-type]
            )
        return self._renderers[key]

    def frames(self, track: PoseTrack, options: RenderOptions) -> Iterator[np.ndarray]:
        """(H, W, 3) uint8 RGB frames of the avatar performing `track`."""
        renderer = self.renderer(options)
        world_r, world_p = self.avatar.skeleton.forward(track.rotations, track.root)
        for i in range(track.num_frames):
            pos, nrm = self.avatar.deform(world_r[i], world_p[i], track.face[i])
            yield renderer.render(pos, nrm)

    def versions(self) -> dict[str, str]:
        return {"code": __version__, "lexicon": self.lexicon.version, "avatar": self.avatar.version}

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()
