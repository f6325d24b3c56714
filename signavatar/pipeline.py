"""The four stages wired together: text -> glosses -> poses -> frames (encoding lives in jobs/).

One Pipeline per process: it loads the lexicon, the avatar and the translator's tagger once and
draws frames either on a pool of `settings.render_processes` worker processes (both cores) or,
with 1, in this process; either way renderers are built once and reused for every clip
(DESIGN.md, "Avatar and rendering").
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from signavatar import __version__
from signavatar.avatar.rig import Avatar, load_avatar
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_model import GlossModel
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import Lexicon
from signavatar.lexicon.city import load_city_lexicon
from signavatar.pose_to_frames.render_pool import MAX_RENDERERS, RenderPool
from signavatar.pose_to_frames.renderer import OffscreenRenderer
from signavatar.settings import Settings
from signavatar.text_to_gloss import explain, parse_gloss_string
from signavatar.translation_choice import Choice, choose
from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory
from signavatar.typed import UInt8Array
from signavatar.types import GlossSequence, PoseTrack, RenderOptions


class Pipeline:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._renderers: OrderedDict[tuple[int, int, tuple[int, int, int] | None], OffscreenRenderer] = OrderedDict()
        self._pool: RenderPool | None = None

    @cached_property
    def lexicon(self) -> Lexicon:
        return load_city_lexicon(self.settings)  # the shipped glosses/ and the city's overlay

    @property
    def avatar_path(self) -> Path:
        return self.settings.models_dir / "build" / "avatar.npz"

    @cached_property
    def vocabulary(self) -> dict[str, str]:
        """Lower-cased German lemma -> gloss, built once per pipeline (the lexicon is immutable)."""
        return self.lexicon.lemma_map()

    @cached_property
    def avatar(self) -> Avatar:
        return load_avatar(self.avatar_path)

    @property
    def skeleton(self) -> Skeleton:
        return self.avatar.skeleton

    @cached_property
    def sequencer(self) -> Sequencer:
        return Sequencer(self.avatar.skeleton, self.lexicon, self.avatar.skeleton.skeleton_id)

    @cached_property
    def memory(self) -> TranslationMemory:
        return TranslationMemory(self.settings.data_dir / MEMORY_FILENAME)

    def translate(self, text: str, model: GlossModel | None = None) -> GlossSequence:
        """German text -> glosses: the editor-approved glosses from the translation memory (exact,
        then fuzzy match) when there are some, else `model`'s when given and confident enough
        (settings.model_min_confidence), else the rules'. InvalidInputError for empty or over-long text."""
        return self.explain(text, model).sequence

    def explain(self, text: str, model: GlossModel | None = None) -> Choice:
        """The translation of `text` (as `translate`) with which translator gave it and why, and the
        rules' translation with the rule behind every gloss and dropped word (translation_choice.py)."""
        rules = explain(text, self.vocabulary, max_chars=self.settings.max_text_chars)  # sentence type, markers
        return choose(rules, self.memory.lookup(text), self.parse_glosses, model, text, self.lexicon,
                      self.settings.model_min_confidence)

    def parse_glosses(self, glosses: str) -> GlossSequence:
        """An editor's gloss string -> glosses; UnknownGlossError names a gloss we cannot sign."""
        return parse_gloss_string(glosses, self.lexicon, max_chars=self.settings.max_text_chars)

    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack:
        return self.sequencer.track(seq, fps=options.fps, speed=options.speed)

    def duration(self, seq: GlossSequence, options: RenderOptions) -> float:
        """Seconds the clip of `seq` will last (= motion(seq, options).duration), from the motion plan
        alone: no frames are sampled, so the service can check it before queueing a render."""
        end = self.sequencer.plan(seq, options.speed).keys[-1].time
        return (math.ceil(end * options.fps) + 1) / options.fps

    def renderer(self, options: RenderOptions) -> OffscreenRenderer:
        """This process's renderer for the size and background of `options` (the last few are kept)."""
        key = (options.width, options.height, options.background)
        if key not in self._renderers:
            self._renderers[key] = OffscreenRenderer(
                self.avatar, options.width, options.height, platform=self.settings.gl_platform, background=key[2],
            )
            while len(self._renderers) > MAX_RENDERERS:
                self._renderers.popitem(last=False)[1].close()
        self._renderers.move_to_end(key)
        return self._renderers[key]

    def frames(self, track: PoseTrack, options: RenderOptions) -> Iterator[UInt8Array]:
        """(H, W, 3) uint8 RGB frames of the avatar performing `track`; (H, W, 4) RGBA when
        options.background is None (transparent)."""
        if self.settings.render_processes > 1:
            if self._pool is None or self._pool.closed:
                self.avatar  # noqa: B018 - fail here, with the asset's message, rather than in a worker
                self._pool = RenderPool(self.avatar_path, self.settings.gl_platform, self.settings.render_processes)
            yield from self._pool.frames(track, options.width, options.height, options.background)
            return
        renderer = self.renderer(options)
        world_r, world_p = self.avatar.skeleton.forward(track.rotations, track.root)
        for i in range(track.num_frames):
            pos, nrm = self.avatar.deform(world_r[i], world_p[i], track.face[i])
            yield renderer.render(pos, nrm)

    def worker_pids(self) -> list[int]:
        """Process ids of the render workers (none when drawing in-process); for memory checks."""
        return self._pool.pids if self._pool is not None and not self._pool.closed else []

    def versions(self) -> dict[str, str]:
        return {"code": __version__, "lexicon": self.lexicon.version, "avatar": self.avatar.version}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()
