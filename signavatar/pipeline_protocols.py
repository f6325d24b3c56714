"""What the shells (HTTP app, CLI, batch, workers) need of signavatar.pipeline.Pipeline, as small
Protocols: each caller asks for the smallest one that names what it uses, and the test stand-ins
(tests/fake_pipeline.py) implement them, checked by mypy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from signavatar.avatar.rig import Avatar
from signavatar.avatar.skeleton import Skeleton
from signavatar.lexicon import Lexicon
from signavatar.settings import Settings
from signavatar.typed import UInt8Array
from signavatar.types import GlossSequence, PoseTrack, RenderOptions

if TYPE_CHECKING:
    from signavatar.gloss_model import GlossModel
    from signavatar.translation_choice import Choice


class Translating(Protocol):
    """Text and hand-written glosses to a gloss sequence (GET /v1/gloss, POST /v1/memory)."""

    def translate(self, text: str, model: GlossModel | None = None) -> GlossSequence:
        """The translation memory's glosses, else `model`'s when given and confident enough, else the rules'."""
        ...

    def parse_glosses(self, glosses: str) -> GlossSequence: ...


class Explaining(Protocol):
    """The translation with which translator gave it (memory, model, rules) and the rules' reason of
    every gloss (`signavatar gloss --explain`)."""

    def explain(self, text: str, model: GlossModel | None = None) -> Choice: ...


class Versioned(Protocol):
    """The versions (code, lexicon, avatar) a clip id is made of."""

    def versions(self) -> dict[str, str]: ...


class Planning(Translating, Protocol):
    """Glosses to motion, and the length of that motion without sampling it (the limits' check)."""

    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack: ...
    def duration(self, seq: GlossSequence, options: RenderOptions) -> float: ...


class Skeletal(Protocol):
    """The avatar's skeleton (preview, .pose export); None when the pipeline draws no avatar."""

    @property
    def skeleton(self) -> Skeleton | None: ...


class Closing(Protocol):
    def close(self) -> None:
        """Release the renderers (offscreen GL contexts) and render processes."""


class RenderPipeline(Planning, Versioned, Skeletal, Closing, Protocol):
    """Everything a render needs: the clip job, the CLI's render, the batch runner."""

    @property
    def avatar(self) -> Avatar | None:
        """The avatar it draws (the motion's glTF export); None when it draws none."""
        ...

    def frames(self, track: PoseTrack, options: RenderOptions) -> Iterator[UInt8Array]:
        """(H, W, 3) uint8 RGB frames; (H, W, 4) RGBA when options.background is None."""
        ...


class Lexical(Protocol):
    """The signs this pipeline knows (the editor's lexicon pages, retargeting a recording)."""

    @property
    def lexicon(self) -> Lexicon: ...


class Drawing(Planning, Protocol):
    """The avatar and where to draw it (signavatar.stills: the lexicon's sign stills and sheets);
    avatar None when the pipeline draws none."""

    @property
    def avatar(self) -> Avatar | None: ...

    @property
    def settings(self) -> Settings:
        """Its settings (the GL platform of a renderer of its own)."""
        ...


class ServicePipeline(Drawing, Versioned, Skeletal, Lexical, Closing, Protocol):
    """What the HTTP app's request handlers use (renders run in the job queue's workers)."""


class CommandPipeline(RenderPipeline, Lexical, Drawing, Explaining, Protocol):
    """What the command line uses (render, render --pose, gloss, batch)."""


PipelineFactory = Callable[[Settings], RenderPipeline]
"""Makes a pipeline from the settings (each process makes its own)."""
