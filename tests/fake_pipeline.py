"""A small stand-in for signavatar.pipeline.Pipeline, for tests of the shells (store, API, CLI).

translate: upper-cased words; frames: a coloured rectangle moving across a dark background.
Gloss "FAIL" makes frames() raise midway; "BOOM" makes motion() raise a non-user error; "CRASH"
kills the process midway (SIGKILL, as a segfault or the OOM killer would); "SLOW" draws its frames
0.1 s each; a text with the word "SLOWTEXT" translates only once <data dir>/release_translations
exists (at most 60 s: a slow translation the test ends); "FULL" fails as a full disk does
(ffmpeg's error, naming a path in the data dir, over a real ENOSPC from /dev/full). It is made
again in each worker process of the job queue (it must stay importable).

Its lexicon version is read, when it is made, from <data dir>/fake_lexicon_version when that file
exists (else "fake-1"), as the real pipeline reads its lexicon files once: a test changes the file
to play a lexicon edited while jobs wait.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.lexicon import Lexicon
from signavatar.pipeline_protocols import CommandPipeline, ServicePipeline
from signavatar.settings import Settings
from signavatar.text_to_gloss import Explanation
from signavatar.text_to_gloss.gloss_string import parse_gloss_string
from signavatar.translation_choice import Choice
from signavatar.typed import UInt8Array
from signavatar.types import GlossSequence, GlossToken, PoseTrack, RenderOptions, SentenceType

FRAMES_PER_GLOSS = 5
VERSION_FILE = "fake_lexicon_version"
SLOW_WORD = "SLOWTEXT"  # a text with this word translates only once RELEASE_FILE exists
RELEASE_FILE = "release_translations"  # in the data dir
RELEASE_WAIT_S = 60.0
EMPTY_LEXICON = Lexicon(entries=MappingProxyType({}), handshapes=MappingProxyType({}), version="")


class FakePipeline:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings if settings is not None else Settings()
        self.renders = 0
        self._data_dir = settings.data_dir if settings is not None else None
        version_file = self._data_dir / VERSION_FILE if self._data_dir is not None else None
        self.lexicon_version = (
            version_file.read_text().strip() if version_file is not None and version_file.is_file() else "fake-1"
        )

    def translate(self, text: str, model: object = None) -> GlossSequence:
        if model is not None:
            raise InvalidInputError("this pipeline translates by its own rule only, not with a trained model")
        if SLOW_WORD in text.split():
            self._wait_for_release()
        words = [w.strip(".,!?") for w in text.split()]
        if not any(words):
            raise InvalidInputError("text has no words")
        tokens = tuple(GlossToken(w.upper(), words=(w,)) for w in words if w)
        kind: SentenceType = "question-yn" if text.rstrip().endswith("?") else "statement"
        return GlossSequence(tokens, sentence_type=kind, source_text=text)

    def parse_glosses(self, glosses: str) -> GlossSequence:
        """The real gloss-string parser (mouthing braces included) over a lexicon of every upper-case
        word; a gloss must be written upper case (the real parser also takes "termin" for TERMIN)."""
        for g in glosses.split():
            g = g.split("{", 1)[0]
            if g and not (g.isupper() or g.isdigit() or g.startswith("fs-")):
                raise UnknownGlossError(f"unknown gloss {g!r}: glosses are upper case, e.g. TERMIN")
        return parse_gloss_string(glosses, _EveryUpperCaseGloss())

    @property
    def skeleton(self) -> Skeleton | None:
        return None  # draws a rectangle, not an avatar: no preview, no .pose export

    @property
    def avatar(self) -> None:
        return None  # draws a rectangle: no sign stills

    @property
    def lexicon(self) -> Lexicon:
        return EMPTY_LEXICON  # the HTTP shell's lexicon pages list no signs

    def duration(self, seq: GlossSequence, options: RenderOptions) -> float:
        return len(seq.tokens) * (FRAMES_PER_GLOSS + 1) / options.fps  # = motion(seq, options).duration

    def explain(self, text: str, model: object = None) -> Choice:
        return Choice(self.translate(text, model), "rules",
                      Explanation(self.translate(text), dropped=(), rules=frozenset({"upper-case"})))

    def close(self) -> None:
        pass  # holds no renderer

    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack:
        if "BOOM" in seq.glosses():
            raise RuntimeError("motion exploded")
        labels: list[str] = []
        for g in seq.glosses():
            labels += [g] * FRAMES_PER_GLOSS + [""]
        t = len(labels)
        rot = np.zeros((t, 1, 4), np.float32)
        rot[:, :, 0] = 1.0
        return PoseTrack(
            fps=float(options.fps), skeleton_id="fake", joint_names=("root",), rotations=rot,
            root=np.zeros((t, 3), np.float32), face=np.zeros((t, 0), np.float32), face_channels=(),
            labels=tuple(labels),
        )

    def frames(self, track: PoseTrack, options: RenderOptions) -> Iterator[UInt8Array]:
        self.renders += 1
        w, h = options.width, options.height
        for i, label in enumerate(track.labels):
            if label == "FAIL" and i > 2:
                raise RuntimeError("renderer failed midway")
            if label == "CRASH" and i > 2:
                os.kill(os.getpid(), signal.SIGKILL)
            if label == "SLOW":
                time.sleep(0.1)
            if label == "FULL" and i > 2:
                self._disk_full()
            frame = np.empty((h, w, 3), np.uint8)
            frame[:] = options.background
            x = (i * 3) % max(1, w - 8)
            frame[h // 4 : h // 2, x : x + 8] = (200, 40, 40) if label else (40, 40, 200)
            yield frame

    def _wait_for_release(self) -> None:
        """Block (holding no lock, like a slow translation) until <data dir>/RELEASE_FILE exists, at
        most RELEASE_WAIT_S: a test decides when its slow translations end."""
        release = (self._data_dir or Path("/nonexistent")) / RELEASE_FILE
        deadline = time.monotonic() + RELEASE_WAIT_S
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    def _disk_full(self) -> None:
        where = (self._data_dir or Path("/tmp")) / "clips" / "video.mp4"
        try:
            with open("/dev/full", "wb", buffering=0) as full:
                full.write(b"x")
        except OSError as exc:
            raise RuntimeError(f"ffmpeg failed (mp4): {where}: {os.strerror(errno.ENOSPC)}") from exc
        raise RuntimeError("/dev/full took a write")

    def versions(self) -> dict[str, str]:
        return {"code": "test", "lexicon": self.lexicon_version, "avatar": "rect-1"}


if TYPE_CHECKING:  # mypy checks that the stand-in implements what the shells ask of a pipeline
    _command: CommandPipeline = FakePipeline()
    _service: ServicePipeline = FakePipeline()


class _EveryUpperCaseGloss:
    """The fake lexicon's glosses: any upper-case word."""

    def __contains__(self, gloss: object) -> bool:
        return isinstance(gloss, str) and gloss.isupper()
